package io.winipc.internal.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.winipc.WinipcException;
import io.winipc.internal.Deadline;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One I/O completion port for every overlapped pipe handle of the process, serviced by one daemon
 * platform thread. Pipe transfers of virtual threads and every accept use it (platform threads'
 * transfers bypass it, see {@link WindowsPipe}). A caller starts an overlapped operation and waits on a latch that the port
 * thread releases when the completion packet arrives, so a virtual thread parks and never pins its
 * carrier. A timeout or an interrupt cancels the operation with {@code CancelIoEx} and still waits
 * for its packet: the OVERLAPPED and the buffer stay referenced (in {@link #pending}) until the
 * kernel is done with them.
 */
final class IoPort {
    private static final System.Logger LOG = System.getLogger(IoPort.class.getName());

    private static final class Holder {
        static final IoPort INSTANCE = new IoPort();
    }

    /** The outcome of one operation. */
    record Result(int error, int bytes, boolean timedOut, boolean interrupted) {
        boolean succeeded() {
            return error == Win32.ERROR_SUCCESS;
        }
    }

    /** Starts an overlapped call; returns the BOOL the call returned. */
    interface Start {
        boolean start(Pointer overlapped);
    }

    private static final class Operation {
        final Memory overlapped = new Memory(32);
        final Object keepAlive;
        final CountDownLatch done = new CountDownLatch(1);
        volatile int error;
        volatile int bytes;

        Operation(Object keepAlive) {
            this.keepAlive = keepAlive;
            overlapped.clear();
        }
    }

    private final long port;
    private final Map<Long, Operation> pending = new ConcurrentHashMap<>();
    /** Operations run through the port, and packets for no operation of ours: both for tests. */
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong strayPackets = new AtomicLong();

    private IoPort() {
        port = Win32.Kernel32.INSTANCE.CreateIoCompletionPort(Win32.INVALID_HANDLE_VALUE, 0, 0, 1);
        if (!Handles.isValid(port)) {
            int lastError = Win32.lastError();
            throw WinErrors.exception("CreateIoCompletionPort", lastError);
        }
        Thread t = new Thread(this::run, "winipc-iocp");
        t.setDaemon(true);
        t.start();
    }

    static IoPort get() {
        return Holder.INSTANCE;
    }

    /** @return how many operations have run through the port */
    long operations() {
        return operations.get();
    }

    /** @return how many completion packets arrived for an OVERLAPPED the port did not issue */
    long strayPackets() {
        return strayPackets.get();
    }

    /** Associates a handle opened with FILE_FLAG_OVERLAPPED with the port. */
    void associate(long handle, String what) {
        if (Win32.Kernel32.INSTANCE.CreateIoCompletionPort(handle, port, 0, 0) != port) {
            int lastError = Win32.lastError();
            throw WinErrors.exception("CreateIoCompletionPort(" + what + ")", lastError);
        }
    }

    /**
     * Runs one overlapped operation to its end.
     *
     * @param handle the file handle, for CancelIoEx
     * @param keepAlive the buffer the operation uses, kept reachable until it completes
     * @param start issues the call with the OVERLAPPED it is given
     * @param deadline when to cancel it
     * @param closing whether the handle is being closed; checked after the start so that a close
     *     racing with the start still cancels it
     * @return the completion's error code and byte count
     */
    Result run(long handle, Object keepAlive, Start start, Deadline deadline, BooleanSupplier closing) {
        operations.incrementAndGet();
        Operation op = new Operation(keepAlive);
        long key = Pointer.nativeValue(op.overlapped);
        pending.put(key, op);
        boolean ok = start.start(op.overlapped);
        int error = ok ? 0 : Win32.lastError();
        // ERROR_MORE_DATA is a warning status: the I/O manager still queues a completion packet.
        if (!ok && error != Win32.ERROR_IO_PENDING && error != Win32.ERROR_MORE_DATA) {
            pending.remove(key);
            return new Result(error, 0, false, false);
        }
        if (closing.getAsBoolean()) {
            K32.CancelIoEx(handle, key);
        }
        boolean timedOut = false;
        boolean interrupted = false;
        try {
            if (deadline.isInfinite()) {
                op.done.await();
            } else if (!op.done.await(deadline.remainingNanos(), TimeUnit.NANOSECONDS)) {
                timedOut = true;
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (timedOut || interrupted) {
            K32.CancelIoEx(handle, key);
            awaitUninterruptibly(op.done);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return new Result(op.error, op.bytes, timedOut, interrupted);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        // bytes (DWORD) at 0, completion key at 8, the OVERLAPPED pointer at 16
        Memory out = new Memory(24);
        long base = Pointer.nativeValue(out);
        while (true) {
            try {
                out.setLong(16, 0);
                boolean ok = K32.GetQueuedCompletionStatus(port, base, base + 8, base + 16, Win32.INFINITE);
                int error = ok ? 0 : Win32.lastError();
                long ov = out.getLong(16);
                if (ov == 0) {
                    if (!ok) {
                        LOG.log(System.Logger.Level.ERROR, "GetQueuedCompletionStatus failed: " + WinErrors.describe(error));
                        throw new WinipcException("the I/O completion port failed: " + WinErrors.describe(error));
                    }
                    continue;
                }
                Operation op = pending.remove(ov);
                if (op == null) {
                    strayPackets.incrementAndGet();
                } else {
                    op.error = error;
                    op.bytes = out.getInt(0);
                    op.done.countDown();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "winipc I/O completion thread stopped", e);
                return;
            }
        }
    }
}
