/**
 * Not API: the boundary between winipc's public packages and an operating system. Nothing here is
 * exported from the module, and nothing here is stable; use {@link io.winipc.Winipc} and the
 * {@code pipe}, {@code shm} and {@code sync} packages instead.
 *
 * <p>{@link io.winipc.internal.Platforms} chooses a backend, {@link io.winipc.internal.Platform} is
 * what a backend offers, and the rest is machinery both backends share (deadlines, interrupt
 * hooks, cleaners, the offload pool for virtual threads).
 */
@NullMarked
package io.winipc.internal;

import org.jspecify.annotations.NullMarked;
