package io.winipc.spring.testing;

import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.Mutex;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Opens named objects by their OS names in a child JVM. Commands on standard input:
 * <ul>
 * <li>{@code read-signal <shm> <event>}: prints {@code value <long at offset 0>}, then signals the event</li>
 * <li>{@code hold <mutex>}: locks the mutex and prints {@code holding}, keeping it until killed</li>
 * </ul>
 */
public final class NamedObjectChild {
    private NamedObjectChild() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
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
                default -> {
                    return;
                }
            }
        }
    }
}
