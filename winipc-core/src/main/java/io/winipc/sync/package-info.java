/**
 * Named synchronization between processes: {@link io.winipc.sync.Mutex} (thread-owned, reentrant,
 * reports abandonment), {@link io.winipc.sync.Event} (manual or auto reset) and
 * {@link io.winipc.sync.Semaphore} (counting, with a maximum). Each is created or opened by name,
 * lives while any process holds it, and offers waits that take a timeout, answer interrupts and
 * end when the object is closed.
 *
 * <p>Nothing in this API is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.sync;

import org.jspecify.annotations.NullMarked;
