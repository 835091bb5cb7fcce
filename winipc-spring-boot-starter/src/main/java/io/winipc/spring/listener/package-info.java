/**
 * The server side: the containers that serve {@link io.winipc.spring.PipeEndpoint} methods, their
 * registry and factory, and the observer hooks they call.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.listener;

import org.jspecify.annotations.NullMarked;
