/**
 * Ahead-of-time processing support: runtime hints for JNA and winipc's bindings, and the AOT
 * contribution that keeps {@link io.winipc.spring.PipeEndpoint} methods reachable.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.aot;

import org.jspecify.annotations.NullMarked;
