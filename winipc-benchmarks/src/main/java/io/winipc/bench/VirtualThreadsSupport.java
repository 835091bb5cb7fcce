package io.winipc.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Virtual threads, reached by reflection: the module compiles for Java 17, the harness runs on 21+. */
final class VirtualThreadsSupport {
    private VirtualThreadsSupport() {
    }

    static boolean available() {
        return Runtime.version().feature() >= 21;
    }

    static ExecutorService perTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need Java 21 or later; this is " + Runtime.version(), e);
        }
    }
}
