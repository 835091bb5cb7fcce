/**
 * Micrometer meters for pipe endpoints, the client and named objects.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.metrics;

import org.jspecify.annotations.NullMarked;
