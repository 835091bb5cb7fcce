/**
 * Ahead-of-time support: runtime hints for winipc's native bindings and for the
 * {@link io.winipc.spring.PipeEndpoint} methods, payloads and exception handlers of endpoint beans.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.aot;

import org.jspecify.annotations.NullMarked;
