package io.winipc.internal.linux.objects;

import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.OperationCanceledException;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.WinipcOsException;
import io.winipc.WinipcTimeoutException;
import java.util.Map;

/** Turns an errno into the exception of winipc's tree that means the same, keeping the code. */
final class Errno {
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(4, "EINTR"), Map.entry(9, "EBADF"),
            Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"), Map.entry(16, "EBUSY"),
            Map.entry(17, "EEXIST"), Map.entry(21, "EISDIR"), Map.entry(22, "EINVAL"), Map.entry(23, "ENFILE"),
            Map.entry(24, "EMFILE"), Map.entry(27, "EFBIG"), Map.entry(28, "ENOSPC"), Map.entry(35, "EDEADLK"),
            Map.entry(36, "ENAMETOOLONG"), Map.entry(40, "ELOOP"), Map.entry(75, "EOVERFLOW"),
            Map.entry(95, "EOPNOTSUPP"), Map.entry(110, "ETIMEDOUT"), Map.entry(130, "EOWNERDEAD"),
            Map.entry(131, "ENOTRECOVERABLE"));

    private Errno() {
    }

    static String describe(int errno) {
        return NAMES.getOrDefault(errno, "errno") + " (" + errno + ")";
    }

    /** @param what the failed operation, naming the object */
    static WinipcOsException exception(String what, int errno) {
        String message = what + ": " + describe(errno);
        return switch (errno) {
            case ObjectsLibC.ENOENT -> new ObjectNotFoundException(message, errno);
            case ObjectsLibC.EEXIST -> new ObjectExistsException(message, errno);
            case ObjectsLibC.EACCES, ObjectsLibC.EPERM, ObjectsLibC.ELOOP -> new WinipcAccessDeniedException(message, errno);
            case ObjectsLibC.ETIMEDOUT -> new WinipcTimeoutException(message, errno);
            case ObjectsLibC.EINTR -> new OperationCanceledException(message, errno);
            default -> new WinipcOsException(message, errno);
        };
    }
}
