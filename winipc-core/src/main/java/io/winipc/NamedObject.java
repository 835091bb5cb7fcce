package io.winipc;

/**
 * What shared memory, mutexes, events and semaphores have in common: a name in a {@link Scope},
 * a handle that this process holds open until {@link #close()}, and whether the call that opened
 * the handle brought the object into being (as .NET's {@code createdNew}).
 *
 * <p>Implemented by {@link io.winipc.shm.SharedMemory}, {@link io.winipc.sync.Mutex},
 * {@link io.winipc.sync.Event} and {@link io.winipc.sync.Semaphore}; code that only manages
 * their lifetime (a registry, a health check) can hold them as this type.
 */
public interface NamedObject extends AutoCloseable {

    /** @return the bare name it was created or opened with */
    String name();

    /** @return where the name lives */
    Scope scope();

    /**
     * @return true if the call that returned this handle created the object; false if it opened
     *         one that was already live (in this or another process). An {@code open} call
     *         always gives false, an exclusive create always true.
     */
    boolean created();

    /** @return false once {@link #close()} has been called on this handle */
    boolean isOpen();

    /**
     * Lets go of this handle; the object itself lives on while any process holds it. Idempotent
     * and thread-safe; waits in progress on this handle end with {@link ObjectClosedException}.
     */
    @Override
    void close();
}
