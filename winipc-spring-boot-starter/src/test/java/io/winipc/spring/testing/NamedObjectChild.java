package io.winipc.spring.testing;

import io.winipc.NamedObject;
import io.winipc.NamedObjectOptions;
import io.winipc.Scope;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens named objects by their OS names in a child JVM. Commands on standard input:
 * <ul>
 * <li>{@code read-signal <shm> <event>}: prints {@code value <long at offset 0>}, then signals the event</li>
 * <li>{@code hold <mutex>}: locks the mutex and prints {@code holding}, keeping it until killed</li>
 * <li>{@code own-global <name>}: creates a region of 4 KB holding this process's pid at offset 0, a
 *     signalled manual-reset event, a semaphore with one permit and a mutex, all named {@code <name>}
 *     in GLOBAL scope, and prints {@code owning <pid>}; they are closed when the input ends or on a
 *     command it does not know</li>
 * </ul>
 */
public final class NamedObjectChild {
    private NamedObjectChild() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
        List<NamedObject> owned = new ArrayList<>();
        try {
            serve(in, owned);
        } finally {
            for (NamedObject object : owned) {
                object.close();
            }
        }
    }

    private static void serve(BufferedReader in, List<NamedObject> owned) throws Exception {
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "read-signal" -> {
                    try (SharedMemory shm = SharedMemory.open(parts[1]); Event event = Event.open(parts[2])) {
                        System.out.println("value " + shm.getLongVolatile(0));
                        System.out.flush();
                        event.signal();
                    }
                }
                case "hold" -> {
                    Mutex mutex = Mutex.open(parts[1]);
                    mutex.lock();
                    System.out.println("holding");
                    System.out.flush();
                }
                case "own-global" -> {
                    NamedObjectOptions global = NamedObjectOptions.defaults().withScope(Scope.GLOBAL);
                    SharedMemory shm = SharedMemory.create(parts[1], 4096, global);
                    owned.add(shm);
                    shm.setLongVolatile(0, ProcessHandle.current().pid());
                    owned.add(Event.create(parts[1], EventResetMode.MANUAL, true, global));
                    owned.add(Semaphore.create(parts[1], 1, 1, global));
                    owned.add(Mutex.create(parts[1], global));
                    System.out.println("owning " + ProcessHandle.current().pid());
                    System.out.flush();
                }
                default -> {
                    return;
                }
            }
        }
    }
}
