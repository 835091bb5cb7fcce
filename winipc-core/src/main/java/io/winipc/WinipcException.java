package io.winipc;

/**
 * The root of every exception winipc throws. It is unchecked: IPC failures are usually fatal to
 * the operation at hand, and callers that can recover catch the specific subclass they expect.
 *
 * <pre>
 * WinipcException
 * ├─ WinipcOsException            an operating-system call failed; {@link WinipcOsException#nativeCode()}
 * │  ├─ WinipcTimeoutException    a deadline passed
 * │  ├─ BrokenPipeException       the peer vanished inside a message, or a write found it gone
 * │  ├─ NotOwnerException         a mutex was released by a thread that does not own it
 * │  ├─ ObjectNotFoundException   open() of a name that is not live
 * │  ├─ PipeBusyException         every pipe instance stayed busy
 * │  ├─ WouldExceedMaximumException  a semaphore release past its maximum
 * │  ├─ ObjectExistsException     exclusive creation of a live name
 * │  ├─ OperationCanceledException   interrupted, or cancelled
 * │  └─ WinipcAccessDeniedException  the OS or winipc's ownership checks refused access
 * ├─ PipeModeException            byte-mode use of a message pipe, or the reverse
 * ├─ OutOfRangeException          shared-memory access outside the region, or a value out of range
 * ├─ ObjectClosedException        an operation on a closed object
 * └─ AbandonedMutexException      a mutex's previous owner died holding it
 * </pre>
 */
public class WinipcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, for a person */
    public WinipcException(String message) {
        super(message);
    }

    /**
     * @param message what failed, for a person
     * @param cause the underlying failure
     */
    public WinipcException(String message, Throwable cause) {
        super(message, cause);
    }
}
