/**
 * Message channels in shared memory: a bounded, one-way queue of whole messages between two
 * processes, {@link io.winipc.channel.ChannelReceiver} on one side and
 * {@link io.winipc.channel.ChannelSender} on the other, built on named
 * {@link io.winipc.shm.SharedMemory} and {@link io.winipc.sync.Event}s. A message costs no system
 * call while the receiver is busy; an idle receiver sleeps in the OS. The layout is documented in
 * {@code docs/channel.md} for peers in other languages.
 *
 * <p>Nothing in this API is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.channel;

import org.jspecify.annotations.NullMarked;
