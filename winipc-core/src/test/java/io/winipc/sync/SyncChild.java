package io.winipc.sync;

import io.winipc.shm.SharedMemory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * The other process in cross-process shared-memory and sync tests. The first argument picks the
 * role; it prints progress lines on standard output and exits 0 on success.
 */
public final class SyncChild {
    private SyncChild() {
    }

    public static void main(String[] args) throws Exception {
        String role = args[0];
        switch (role) {
            case "mutex-count" -> mutexCount(args[1], args[2], Integer.parseInt(args[3]));
            case "mutex-hold" -> mutexHold(args[1]);
            case "mutex-try" -> {
                try (Mutex mutex = Mutex.open(args[1])) {
                    boolean locked = mutex.tryLock(Duration.ofSeconds(Long.parseLong(args[2])));
                    System.out.println(locked ? "locked" : "timed out");
                    if (locked) {
                        mutex.unlock();
                    }
                }
            }
            case "mutex-acquire" -> {
                try (Mutex mutex = Mutex.open(args[1])) {
                    LockResult r = mutex.acquire(Duration.ofSeconds(Long.parseLong(args[2])));
                    System.out.println(r);
                    if (r.acquired()) {
                        mutex.unlock();
                    }
                }
            }
            case "handoff" -> handoff(args[1], args[2], args[3], Long.parseLong(args[4]), Integer.parseInt(args[5]));
            case "semaphore-work" -> semaphoreWork(args[1], args[2], Integer.parseInt(args[3]));
            case "event-wait" -> eventWait(args[1], args[2]);
            case "ping-pong" -> pingPong(args[1], args[2].equals("ping"), args[3], args[4], Integer.parseInt(args[5]));
            case "semaphore-acquire" -> semaphoreAcquire(args[1]);
            case "semaphore-release" -> {
                try (Semaphore sem = Semaphore.open(args[1])) {
                    System.out.println("released from " + sem.release());
                }
            }
            case "shm-hold" -> shmHold(args[1], Long.parseLong(args[2]));
            case "shm-touch" -> {
                SharedMemory.create(args[1], 8).close();
                System.out.println("touched");
            }
            default -> throw new IllegalArgumentException(role);
        }
        System.out.flush();
    }

    /** Adds 1 to the plain long at offset 0, {@code times} times, each under the mutex. */
    private static void mutexCount(String mutexName, String shmName, int times) {
        try (Mutex mutex = Mutex.open(mutexName); SharedMemory shm = SharedMemory.open(shmName)) {
            System.out.println("ready");
            for (int i = 0; i < times; i++) {
                mutex.lock();
                try {
                    shm.putLong(0, shm.getLong(0) + 1);
                } finally {
                    mutex.unlock();
                }
            }
            System.out.println("done");
        }
    }

    /** Takes the mutex and keeps it until killed. */
    private static void mutexHold(String mutexName) throws Exception {
        Mutex mutex = Mutex.open(mutexName);
        mutex.lock();
        System.out.println("locked");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        mutex.unlock();
        mutex.close();
    }

    /** Writes seeded bytes to the region, signals {@code ready}, waits for {@code ack}, checks the reply. */
    private static void handoff(String shmName, String readyName, String ackName, long seed, int length) {
        try (SharedMemory shm = SharedMemory.open(shmName); Event ready = Event.open(readyName); Event ack = Event.open(ackName)) {
            byte[] payload = new byte[length];
            new Random(seed).nextBytes(payload);
            shm.write(0, payload);
            ready.signal();
            if (!ack.await(Duration.ofSeconds(60))) {
                throw new AssertionError("no ack");
            }
            byte[] reply = shm.read(0, length);
            byte[] expected = new byte[length];
            new Random(seed + 1).nextBytes(expected);
            if (!Arrays.equals(reply, expected)) {
                throw new AssertionError("reply differs");
            }
            System.out.println("ok");
        }
    }

    /**
     * Takes a permit {@code times} times; inside, counts itself in the int at offset 0 and records
     * the highest count seen in the int at offset 4.
     */
    private static void semaphoreWork(String semName, String shmName, int times) {
        try (Semaphore sem = Semaphore.open(semName); SharedMemory shm = SharedMemory.open(shmName)) {
            System.out.println("ready");
            for (int i = 0; i < times; i++) {
                sem.withPermit(() -> {
                    int inside = shm.getAndAddInt(0, 1) + 1;
                    int max;
                    while ((max = shm.getIntVolatile(4)) < inside && !shm.compareAndSetInt(4, max, inside)) {
                        Thread.onSpinWait();
                    }
                    Thread.yield();
                    shm.getAndAddInt(0, -1);
                });
            }
            System.out.println("done");
        }
    }

    /** Waits once for the event, then adds 1 to the int at offset 0 of the region. */
    private static void eventWait(String eventName, String shmName) {
        try (Event event = Event.open(eventName); SharedMemory shm = SharedMemory.open(shmName)) {
            shm.getAndAddInt(8, 1);
            System.out.println("waiting");
            System.out.flush();
            if (!event.await(Duration.ofSeconds(120))) {
                throw new AssertionError("event never came");
            }
            shm.getAndAddInt(0, 1);
            System.out.println("released");
        }
    }

    /**
     * {@code rounds} round trips over two auto-reset events (kind "event") or two semaphores of
     * maximum 1 (kind "semaphore"), {@code there} and {@code back}: the pinger signals there and
     * waits for back, the ponger waits for there and signals back. Every wait must end signalled.
     */
    private static void pingPong(String kind, boolean ping, String there, String back, int rounds) {
        Duration patience = Duration.ofMinutes(10);
        if (kind.equals("event")) {
            try (Event a = Event.open(there); Event b = Event.open(back)) {
                System.out.println("ready");
                System.out.flush();
                for (int i = 0; i < rounds; i++) {
                    if (ping) {
                        a.signal();
                        check(b.await(patience), i);
                    } else {
                        check(a.await(patience), i);
                        b.signal();
                    }
                }
            }
        } else {
            try (Semaphore a = Semaphore.open(there); Semaphore b = Semaphore.open(back)) {
                System.out.println("ready");
                System.out.flush();
                for (int i = 0; i < rounds; i++) {
                    if (ping) {
                        a.release();
                        check(b.tryAcquire(patience), i);
                    } else {
                        check(a.tryAcquire(patience), i);
                        b.release();
                    }
                }
            }
        }
        System.out.println("done");
    }

    private static void check(boolean signalled, int round) {
        if (!signalled) {
            throw new AssertionError("round " + round + ": the wait timed out");
        }
    }

    /** Takes one permit, waiting as long as it takes, and says so. */
    private static void semaphoreAcquire(String semName) {
        try (Semaphore sem = Semaphore.open(semName)) {
            System.out.println("waiting");
            System.out.flush();
            sem.acquire();
            System.out.println("acquired");
        }
    }

    /** Creates a region and keeps it until killed. */
    private static void shmHold(String shmName, long size) throws Exception {
        SharedMemory shm = SharedMemory.create(shmName, size);
        shm.write(0, new byte[] {42});
        System.out.println("created");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        shm.close();
    }
}
