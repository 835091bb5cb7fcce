package io.winipc.modulepath;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.Winipc;
import io.winipc.channel.ChannelReceiver;
import io.winipc.channel.ChannelSender;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.TestNames;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * winipc as a named module: a child JVM puts winipc-core and JNA on the module path (nothing of
 * winipc on the class path) and drives every kind of object through the exported API, so the
 * backend's JNA bindings load from inside the module. The suite itself runs on the class path,
 * where the module descriptor is ignored; this test is what holds the descriptor to account.
 */
class ModulePathTest {

    @Test
    void theApiWorksAndTheInternalsStaySealedWhenWinipcIsANamedModule() {
        List<String> modulePath = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.exists(p.resolve("module-info.class")) || p.getFileName().toString().startsWith("winipc-core-")
                    && !p.getFileName().toString().contains("tests")) {
                modulePath.add(entry);
            } else if (p.getFileName().toString().matches("jna-\\d.*\\.jar")) {
                modulePath.add(entry);
            } else {
                classPath.add(entry);
            }
        }
        assertThat(modulePath).as("winipc-core and JNA found on the test class path").hasSize(2);

        List<String> options = List.of("--module-path", String.join(File.pathSeparator, modulePath), "--add-modules", "io.winipc");
        try (ChildJvm child = ChildJvm.startWithClassPath(options, String.join(File.pathSeparator, classPath), Probe.class,
                TestNames.unique("module-path"))) {
            assertThat(child.readLine()).isEqualTo("module io.winipc");
            assertThat(child.readLine()).isEqualTo("exported [io.winipc, io.winipc.channel, io.winipc.pipe, io.winipc.shm, io.winipc.sync]");
            assertThat(child.readLine()).isEqualTo("internal sealed: IllegalAccessException");
            assertThat(child.readLine()).isEqualTo("backend " + Winipc.backend());
            assertThat(child.readLine()).isEqualTo("pipe echo hello");
            assertThat(child.readLine()).isEqualTo("shared memory 42");
            assertThat(child.readLine()).isEqualTo("mutex held true");
            assertThat(child.readLine()).isEqualTo("event signalled true");
            assertThat(child.readLine()).isEqualTo("semaphore acquired true");
            assertThat(child.readLine()).isEqualTo("channel hello");
            child.assertSucceeds(60);
        }
    }

    /** Runs in the child JVM, on the class path, using winipc from the module path. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            String name = args[0];
            Module winipc = Winipc.class.getModule();
            System.out.println("module " + winipc.getName());
            System.out.println("exported " + winipc.getPackages().stream().filter(winipc::isExported).sorted().toList());
            try {
                Class.forName("io.winipc.internal.Platforms").getMethod("get").invoke(null);
                System.out.println("internal reachable");
            } catch (IllegalAccessException e) {
                System.out.println("internal sealed: " + e.getClass().getSimpleName());
            }
            System.out.println("backend " + Winipc.backend());

            Duration timeout = Duration.ofSeconds(30);
            try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE))) {
                CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
                    try (PipeConnection c = server.accept(timeout)) {
                        byte[] message = c.readMessage();
                        c.writeMessage(message);
                        return message;
                    }
                });
                try (PipeConnection c = PipeClient.connect(name, PipeClientOptions.defaults().withMode(PipeMode.MESSAGE)
                        .withConnectTimeout(timeout))) {
                    c.writeMessage("hello".getBytes(StandardCharsets.UTF_8));
                    System.out.println("pipe echo " + new String(c.readMessage(), StandardCharsets.UTF_8));
                }
                echoed.join();
            }
            try (SharedMemory a = SharedMemory.create(name, 4096); SharedMemory b = SharedMemory.open(name)) {
                a.putInt(8, 42);
                System.out.println("shared memory " + b.getInt(8));
            }
            try (Mutex m = Mutex.create(name + "-mutex")) {
                System.out.println("mutex held " + m.tryLock(timeout));
                m.unlock();
            }
            try (Event e = Event.create(name + "-event", EventResetMode.MANUAL)) {
                e.signal();
                System.out.println("event signalled " + e.await(timeout));
            }
            try (Semaphore s = Semaphore.create(name + "-semaphore", 1, 1)) {
                System.out.println("semaphore acquired " + s.tryAcquire(timeout));
            }
            try (ChannelReceiver in = ChannelReceiver.create(name + "-channel"); ChannelSender out = ChannelSender.open(name + "-channel")) {
                out.send("hello".getBytes(StandardCharsets.UTF_8));
                System.out.println("channel " + new String(in.receive(timeout), StandardCharsets.UTF_8));
            }
        }
    }
}
