/**
 * Named shared memory: {@link io.winipc.shm.SharedMemory}, a region of memory that processes
 * create and open by name, with bounds-checked bulk, typed and atomic access.
 */
package io.winipc.shm;
