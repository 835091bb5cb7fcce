/**
 * Ahead-of-time support: the runtime hints a native image of a winipc application needs, and the AOT processor for {@code @PipeEndpoint} beans.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.aot;

import org.jspecify.annotations.NullMarked;
