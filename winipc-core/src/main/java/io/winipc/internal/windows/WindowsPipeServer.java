package io.winipc.internal.windows;

import com.sun.jna.WString;
import io.winipc.ObjectClosedException;
import io.winipc.ObjectExistsException;
import io.winipc.OperationCanceledException;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.WinipcOsException;
import io.winipc.WinipcTimeoutException;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativePipe;
import io.winipc.internal.NativePipeServer;
import io.winipc.internal.PipeListenSpec;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A named-pipe server. It always keeps an instance listening (created with the server, and again
 * as soon as a client is accepted, unless an accepting thread is already waiting on another), so a
 * client never sees ERROR_FILE_NOT_FOUND while the server runs; once {@code maxInstances}
 * instances are connected there is none, and clients see the pipe busy until a connection closes.
 * Several threads may accept at once, each on an instance of its own.
 *
 * <p>Never joining someone else's pipe: an instance is created with FILE_FLAG_FIRST_PIPE_INSTANCE
 * whenever this server holds none (with {@code maxInstances = 1} the name is free between a
 * connection closing and the next accept, and another account could create it then), and the
 * owner of every instance created after the first is compared with the owner of the first, since
 * Wine 8 ignores the flag. A listen-ahead that fails for any reason but ERROR_PIPE_BUSY is logged.
 */
final class WindowsPipeServer implements NativePipeServer {
    private static final System.Logger LOG = System.getLogger(WindowsPipeServer.class.getName());

    private final String path;
    private final WString widePath;
    private final PipeListenSpec spec;
    private static final long CANCELLED_ACCEPTS_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition instanceFreed = lock.newCondition();
    /** The instance listening ahead that no accept is waiting on yet, or 0. */
    private long idle;
    /** Instances that accepting threads are waiting on; they listen too. */
    private final Set<Long> waiting = new HashSet<>();
    private volatile boolean closed;
    /** Instances of this server with an open handle: listening, accepting or connected. */
    private int held;
    /** The owner SID of this server's first instance: what every later instance must show too. */
    private final String ownOwner;

    WindowsPipeServer(String path, PipeListenSpec spec) {
        this.path = path;
        this.widePath = new WString(path);
        this.spec = spec;
        refuseLiveName();
        try {
            this.idle = createInstance(null);
        } catch (WinipcOsException e) {
            if (e.nativeCode() == Win32.ERROR_ACCESS_DENIED || e.nativeCode() == Win32.ERROR_PIPE_BUSY) {
                // FILE_FLAG_FIRST_PIPE_INSTANCE refuses a name that already has instances: a live
                // server, or a squatter. Either way the name is not ours.
                throw new ObjectExistsException("pipe " + path + " already has a server (" + WinErrors.describe(e.nativeCode())
                        + ")", e.nativeCode(), e);
            }
            throw e;
        }
        try {
            this.ownOwner = WindowsOwners.ownerSid(idle, "pipe " + path);
        } catch (RuntimeException e) {
            Handles.close(idle);
            throw e;
        }
    }

    @Override
    public String address() {
        return path;
    }

    /**
     * FILE_FLAG_FIRST_PIPE_INSTANCE is what refuses a live name on Windows; Wine 8 does not enforce
     * it, so ask first whether any instance of the name exists. This check alone would race with a
     * server starting at the same moment; on Windows the flag closes that race.
     */
    private void refuseLiveName() {
        boolean available = Win32.Kernel32.INSTANCE.WaitNamedPipeW(widePath, 1);
        int error = available ? 0 : Win32.lastError();
        if (available || error == Win32.ERROR_SEM_TIMEOUT || error == Win32.ERROR_PIPE_BUSY) {
            throw new ObjectExistsException("pipe " + path + " already has a server", Win32.ERROR_ALREADY_EXISTS);
        }
    }

    /**
     * Creates an instance, as the first one when this server holds none.
     *
     * @param expectedOwner the owner the new instance must show (null for the server's very first)
     */
    private long createInstance(@Nullable String expectedOwner) {
        boolean first = held == 0;
        int openMode = Win32.PIPE_ACCESS_DUPLEX | Win32.FILE_FLAG_OVERLAPPED | (first ? Win32.FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
        int pipeMode = (spec.messageMode() ? Win32.PIPE_TYPE_MESSAGE | Win32.PIPE_READMODE_MESSAGE
                : Win32.PIPE_TYPE_BYTE | Win32.PIPE_READMODE_BYTE) | Win32.PIPE_WAIT | Win32.PIPE_REJECT_REMOTE_CLIENTS;
        long[] handle = new long[1];
        int[] error = new int[1];
        WindowsSecurity.withAttributes(spec.access(), WindowsSecurity.Kind.PIPE, sa -> {
            handle[0] = Win32.Kernel32.INSTANCE.CreateNamedPipeW(widePath, openMode, pipeMode, spec.maxInstances(),
                    spec.outBufferSize(), spec.inBufferSize(), 0, sa);
            error[0] = Win32.lastError();
            return null;
        });
        if (!Handles.isValid(handle[0])) {
            if (first && expectedOwner != null && error[0] == Win32.ERROR_ACCESS_DENIED) {
                throw new WinipcAccessDeniedException("pipe " + path + " is not this server's any more: someone else created"
                        + " the name while this server held no instance (FILE_FLAG_FIRST_PIPE_INSTANCE refused)", error[0]);
            }
            throw WinErrors.exception("CreateNamedPipeW(" + path + ")", error[0]);
        }
        try {
            if (expectedOwner != null) {
                String owner = WindowsOwners.ownerSid(handle[0], "pipe " + path);
                if (!owner.equalsIgnoreCase(expectedOwner)) {
                    throw new WinipcAccessDeniedException("pipe " + path + " is not this server's any more: someone else created"
                            + " the name while this server held no instance (the new instance is owned by " + owner
                            + ", this server's first by " + expectedOwner + ")", 0);
                }
            }
            IoPort.get().associate(handle[0], path);
        } catch (RuntimeException e) {
            Handles.close(handle[0]);
            throw e;
        }
        held++;
        return handle[0];
    }

    @Override
    public NativePipe accept(Deadline deadline) {
        long instance = takeInstance(deadline);
        IoPort.Result r = IoPort.get().run(instance, null, ov -> Win32.Kernel32.INSTANCE.ConnectNamedPipe(instance, ov),
                deadline, () -> closed);
        boolean connected = r.succeeded() || r.error() == Win32.ERROR_PIPE_CONNECTED || r.error() == Win32.ERROR_NO_DATA;
        lock.lock();
        try {
            waiting.remove(instance);
            if (closed) {
                release(instance);
                throw new ObjectClosedException("pipe server " + path + " is closed");
            }
            if (!connected) {
                if (r.interrupted()) {
                    release(instance);
                    closeLocked();
                    throw new OperationCanceledException("accept on pipe " + path + " was interrupted; the server is closed",
                            r.error());
                }
                if (r.timedOut()) {
                    // Keep the instance listening for the next accept, unless another one already is.
                    if (idle == 0) {
                        idle = instance;
                    } else {
                        release(instance);
                    }
                    throw new WinipcTimeoutException("no client connected to pipe " + path + " in time", Win32.ERROR_TIMEOUT);
                }
                release(instance);
                throw WinErrors.exception("ConnectNamedPipe(" + path + ")", r.error());
            }
            if (idle == 0 && waiting.isEmpty()) {
                try {
                    idle = createInstance(ownOwner);
                } catch (WinipcOsException e) {
                    // All instances are connected (ERROR_PIPE_BUSY): the next accept creates one when a
                    // connection closes. Clients see the pipe busy meanwhile, as Windows documents.
                    // Anything else is not expected: say so, and let the next accept try again and throw.
                    if (e.nativeCode() != Win32.ERROR_PIPE_BUSY) {
                        LOG.log(System.Logger.Level.WARNING, "pipe " + path + " could not listen ahead for the next client", e);
                    }
                }
            }
        } finally {
            // This accept no longer waits on its instance: a close() waiting for that goes on.
            instanceFreed.signalAll();
            lock.unlock();
        }
        return new WindowsPipe(instance, path, true, this::onConnectionClosed);
    }

    /**
     * @return an instance for this accept: the one listening ahead if there is one, else a new
     *     one; waits while every instance is connected
     */
    private long takeInstance(Deadline deadline) {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new ObjectClosedException("pipe server " + path + " is closed");
                }
                long instance = idle;
                idle = 0;
                if (instance == 0) {
                    try {
                        instance = createInstance(ownOwner);
                    } catch (WinipcOsException e) {
                        if (e.nativeCode() != Win32.ERROR_PIPE_BUSY) {
                            throw e;
                        }
                    }
                }
                if (instance != 0) {
                    waiting.add(instance);
                    return instance;
                }
                // Every instance is connected: wait until one of our connections closes.
                try {
                    if (deadline.isInfinite()) {
                        instanceFreed.await();
                    } else {
                        long left = deadline.remainingNanos();
                        if (left <= 0) {
                            throw new WinipcTimeoutException("no pipe instance of " + path
                                    + " became free in time (all " + spec.maxInstances() + " are connected)", Win32.ERROR_TIMEOUT);
                        }
                        instanceFreed.await(left, TimeUnit.NANOSECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closeLocked();
                    throw new OperationCanceledException("accept on pipe " + path + " was interrupted; the server is closed", 0, e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void onConnectionClosed() {
        lock.lock();
        try {
            held--;
            instanceFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeLocked();
            // An accept still in ConnectNamedPipe closes its instance only when the cancelled connect
            // completes, and until then a client can still open that instance. Waiting for it means no
            // client connects once close() has returned. The completion comes at once; the bound only
            // guards against a stalled completion thread.
            long left = CANCELLED_ACCEPTS_WAIT_NANOS;
            while (!waiting.isEmpty() && left > 0) {
                left = instanceFreed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Closes an instance that no connection took over; the lock is held. */
    private void release(long instance) {
        Handles.close(instance);
        held--;
    }

    private void closeLocked() {
        if (!closed) {
            closed = true;
            if (idle != 0) {
                release(idle);
            }
            idle = 0;
            // Accepting threads close their own instances once the cancelled connect completes.
            for (long instance : waiting) {
                Win32.Kernel32.INSTANCE.CancelIoEx(instance, null);
            }
        }
        instanceFreed.signalAll();
    }
}
