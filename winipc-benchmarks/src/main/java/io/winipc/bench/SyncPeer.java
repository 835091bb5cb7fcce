package io.winipc.bench;

import io.winipc.sync.Event;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The second process of the event and lock benchmarks:
 * <ul>
 *   <li>{@code event-pong A B COUNT}: COUNT times, waits for event A and signals event B;</li>
 *   <li>{@code contend mutex|semaphore NAME COUNT}: after "GO" on standard input, COUNT times
 *       lock and unlock the mutex (or acquire and release the semaphore), then prints the
 *       nanoseconds it took.</li>
 * </ul>
 */
public final class SyncPeer {
    private SyncPeer() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "event-pong" -> {
                long count = Long.parseLong(args[3]);
                try (Event a = Event.open(args[1]); Event b = Event.open(args[2])) {
                    System.out.println("READY");
                    System.out.flush();
                    for (long i = 0; i < count; i++) {
                        a.await();
                        b.signal();
                    }
                }
            }
            case "contend" -> {
                boolean mutex = args[1].equals("mutex");
                long count = Long.parseLong(args[3]);
                try (Mutex m = mutex ? Mutex.open(args[2]) : null; Semaphore s = mutex ? null : Semaphore.open(args[2])) {
                    // Warm the code up alone, then wait for the other process.
                    SyncOps.run(m, s, Math.min(count, 50_000));
                    System.out.println("READY");
                    System.out.flush();
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    if (!"GO".equals(in.readLine())) {
                        return;
                    }
                    long t0 = System.nanoTime();
                    SyncOps.run(m, s, count);
                    System.out.println("RESULT ns=" + (System.nanoTime() - t0));
                    System.out.flush();
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** The measured loop, shared by both processes. */
    static final class SyncOps {
        private SyncOps() {
        }

        static void run(Mutex m, Semaphore s, long count) {
            if (m != null) {
                for (long i = 0; i < count; i++) {
                    m.lock();
                    m.unlock();
                }
            } else {
                for (long i = 0; i < count; i++) {
                    s.acquire();
                    s.release();
                }
            }
        }
    }
}
