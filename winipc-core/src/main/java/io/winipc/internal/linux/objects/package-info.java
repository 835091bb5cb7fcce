/**
 * Not API: the Linux backend's named objects, files under /dev/shm holding a region or the state
 * of a robust process-shared mutex, an event or a semaphore.
 */
@NullMarked
package io.winipc.internal.linux.objects;

import org.jspecify.annotations.NullMarked;
