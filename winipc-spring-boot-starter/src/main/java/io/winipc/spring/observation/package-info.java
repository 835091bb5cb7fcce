/**
 * Micrometer Observation of pipe endpoints and of the {@code PipeTemplate}: contexts, conventions and their documentation.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.observation;

import org.jspecify.annotations.NullMarked;
