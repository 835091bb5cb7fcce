package io.winipc.internal.linux;

import io.winipc.BrokenPipeException;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.OperationCanceledException;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.WinipcOsException;
import io.winipc.WinipcTimeoutException;

/**
 * Turns an errno into the matching exception of winipc's tree, keeping the code: the one mapping for
 * the whole Linux backend, pipes and named objects alike.
 */
public final class Errno {
    private Errno() {
    }

    /**
     * @param what the operation that failed, for the message
     * @param errno the value of errno
     * @return the exception to throw
     */
    public static WinipcOsException exception(String what, int errno) {
        String message = what + ": " + LibC.describe(errno);
        return switch (errno) {
            case LibC.ENOENT, LibC.ECONNREFUSED -> new ObjectNotFoundException(message, errno);
            // ELOOP: an O_NOFOLLOW open met a symbolic link planted where a file of ours belongs.
            case LibC.EACCES, LibC.EPERM, LibC.ELOOP -> new WinipcAccessDeniedException(message, errno);
            case LibC.EEXIST, LibC.EADDRINUSE -> new ObjectExistsException(message, errno);
            case LibC.EPIPE, LibC.ECONNRESET, LibC.ENOTCONN, LibC.ECONNABORTED -> new BrokenPipeException(message, errno);
            case LibC.ETIMEDOUT -> new WinipcTimeoutException(message, errno);
            case LibC.EINTR -> new OperationCanceledException(message, errno);
            default -> new WinipcOsException(message, errno);
        };
    }

    /** @return the C library's description of an errno value, with the value */
    public static String describe(int errno) {
        return LibC.describe(errno);
    }
}
