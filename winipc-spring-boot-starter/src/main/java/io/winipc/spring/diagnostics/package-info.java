/**
 * Failure analysis that turns an invalid pipe endpoint into a start-up report saying what to fix.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.diagnostics;

import org.jspecify.annotations.NullMarked;
