/**
 * The client side: {@link io.winipc.spring.client.PipeTemplate} sends requests to a pipe endpoint.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.client;

import org.jspecify.annotations.NullMarked;
