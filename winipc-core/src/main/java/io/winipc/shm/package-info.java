/**
 * Named shared memory: {@link io.winipc.shm.SharedMemory}, a region of memory that processes
 * create and open by name, with bounds-checked bulk, typed and atomic access.
 *
 * <p>Nothing in this API is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.shm;

import org.jspecify.annotations.NullMarked;
