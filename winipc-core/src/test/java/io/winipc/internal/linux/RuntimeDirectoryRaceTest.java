package io.winipc.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeServer;
import io.winipc.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * First use of a fresh runtime directory: it is created with its final mode in the creating call,
 * so neither a concurrent user of the same account sees it half made (and refuses it as "open to
 * others"), nor can another account plant files in it while it is being made, under any umask.
 *
 * <p>Every round deletes the directory, then releases all racers at once: several processes of
 * {@link #THREADS} threads each (started with the umask under test), every thread listening on a
 * pipe of its own and connecting to it.
 */
@EnabledOnOs(OS.LINUX)
class RuntimeDirectoryRaceTest {
    private static final int PROCESSES = 3;
    private static final int THREADS = 8;
    private static final int ROUNDS = Integer.getInteger("winipc.test.raceRounds", 100);
    private static final int NOBODY = 65534;

    @ParameterizedTest(name = "umask {0}")
    @ValueSource(strings = {"000", "022"})
    void threadsAndProcessesRacingOnAFreshDirectoryAllSucceed(String umask) throws Exception {
        Path xdg = Files.createTempDirectory("winipc-race");
        Path dir = xdg.resolve("winipc");
        List<ChildJvm> racers = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                racers.add(ChildJvm.startWithUmask(Integer.parseInt(umask, 8), Map.of("XDG_RUNTIME_DIR", xdg.toString()), Racer.class));
            }
            for (ChildJvm racer : racers) {
                assertThat(racer.readLine()).isEqualTo("ready");
            }
            int failures = 0;
            List<String> reasons = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                deleteTree(dir);
                for (ChildJvm racer : racers) {
                    racer.send("round " + round);
                }
                for (ChildJvm racer : racers) {
                    String[] done = racer.readLine().split(" ", 3);
                    assertThat(done[0]).isEqualTo("done");
                    int failed = Integer.parseInt(done[1]);
                    failures += failed;
                    if (failed > 0 && reasons.size() < 5) {
                        reasons.add("round " + round + ": " + done[2]);
                    }
                }
                assertThat(mode(dir)).as("mode of %s after round %d", dir, round).isEqualTo(0700);
            }
            System.out.printf("RuntimeDirectoryRaceTest umask %s: %d rounds x %d processes x %d threads, %d failed%n",
                    umask, ROUNDS, PROCESSES, THREADS, failures);
            assertThat(failures).as("failed connects of %d; first reasons: %s", ROUNDS * PROCESSES * THREADS, reasons).isZero();
            for (ChildJvm racer : racers) {
                racer.send("exit");
                racer.assertSucceeds(60);
            }
        } finally {
            racers.forEach(ChildJvm::close);
            deleteTree(xdg);
        }
    }

    /**
     * Another account (nobody, through setpriv) tries without pause to plant a socket link and a
     * lock file in the directory while the owner creates it under umask 000: it must never get a
     * file in, and the owner's server must always get its name.
     */
    @ParameterizedTest(name = "umask {0}")
    @ValueSource(strings = {"000"})
    void anotherUserRacingToPlantFilesNeverGetsIn(String umask) throws Exception {
        assumeThat(LibC.getuid()).as("starting a process as another user needs root").isZero();
        Path xdg = Files.createTempDirectory("winipc-plant");
        // Like /tmp: world-writable and sticky, so that the other user can reach the directory.
        Files.setPosixFilePermissions(xdg, PosixFilePermissions.fromString("rwxrwxrwx"));
        if (LibC.chmod(LibC.cString(xdg.toString()), 01777) != 0) {
            throw new IOException("chmod 1777 " + xdg + ": " + LibC.describe(LibC.errno()));
        }
        Path dir = xdg.resolve("winipc");
        Process planter = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                "/usr/bin/python3", "-c", PLANTER, dir.toString()).redirectErrorStream(true).start();
        BufferedReader planterOut = new BufferedReader(new InputStreamReader(planter.getInputStream(), StandardCharsets.UTF_8));
        int rounds = ROUNDS * 5;
        try (ChildJvm owner = ChildJvm.startWithUmask(Integer.parseInt(umask, 8), Map.of("XDG_RUNTIME_DIR", xdg.toString()), Owner.class)) {
            assertThat(planterOut.readLine()).isEqualTo("planting");
            assertThat(owner.readLine()).isEqualTo("ready");
            int planted = 0;
            int refused = 0;
            List<String> seen = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                deleteTree(dir);
                String outcome = owner.ask("round " + round);
                if (!outcome.equals("ok")) {
                    refused++;
                    if (seen.size() < 5) {
                        seen.add(outcome);
                    }
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        if ((Integer) Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS) != 0) {
                            planted++;
                            if (seen.size() < 5) {
                                seen.add("round " + round + ": " + f.getFileName() + " of uid "
                                        + Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS));
                            }
                        }
                    }
                }
            }
            assertThat(planter.isAlive()).as("the planter kept trying throughout").isTrue();
            System.out.printf("RuntimeDirectoryRaceTest planter, umask %s: %d rounds, %d files planted, %d servers refused%n",
                    umask, rounds, planted, refused);
            assertThat(planted).as("files of the other user in %s; %s", dir, seen).isZero();
            assertThat(refused).as("rounds in which the owner could not serve its own name; %s", seen).isZero();
            owner.send("exit");
            owner.assertSucceeds(60);
        } finally {
            planter.destroyForcibly();
            planter.waitFor(30, TimeUnit.SECONDS);
            deleteTree(xdg);
        }
    }

    /** As nobody: forever tries to put a link svc.sock and a held svc.sock.lock into the directory. */
    private static final String PLANTER = String.join("\n",
            "import os, sys, fcntl",
            "d = sys.argv[1]",
            "held = []",
            "print('planting', flush=True)",
            "while True:",
            "    try:",
            "        os.symlink('/tmp/attacker.sock', d + '/svc.sock')",
            "    except OSError:",
            "        pass",
            "    try:",
            "        fd = os.open(d + '/svc.sock.lock', os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW, 0o666)",
            "        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)",
            "        held.append(fd)",
            "    except OSError:",
            "        pass");

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * For each "round N" line: {@link #THREADS} threads start together, each listens on a pipe of its
     * own and connects to it; prints "done &lt;failures&gt; &lt;first failure&gt;".
     */
    public static final class Racer {
        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            long pid = ProcessHandle.current().pid();
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
                String round = line.substring("round ".length());
                CyclicBarrier start = new CyclicBarrier(THREADS);
                AtomicInteger failures = new AtomicInteger();
                AtomicReference<String> first = new AtomicReference<>("-");
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    String name = "race-" + round + "-" + pid + "-" + t;
                    Thread thread = new Thread(() -> {
                        try {
                            start.await();
                            try (PipeServer server = PipeServer.listen(name);
                                    PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(30));
                                    PipeConnection accepted = server.accept(Duration.ofSeconds(30))) {
                                client.write(new byte[] {1});
                                accepted.readFully(1);
                            }
                        } catch (Exception | AssertionError e) {
                            failures.incrementAndGet();
                            first.compareAndSet("-", e.toString().replace('\n', ' '));
                        }
                    });
                    threads.add(thread);
                    thread.start();
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                System.out.println("done " + failures.get() + " " + first.get());
            }
        }
    }

    /** For each "round N" line: listens on "svc" and connects to it; prints "ok" or the failure. */
    public static final class Owner {
        public static void main(String[] args) throws Exception {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
                String outcome;
                try (PipeServer server = PipeServer.listen("svc");
                        PipeConnection client = PipeClient.connect("svc", Duration.ofSeconds(30));
                        PipeConnection accepted = server.accept(Duration.ofSeconds(30))) {
                    client.write(new byte[] {7});
                    outcome = accepted.readFully(1)[0] == 7 ? "ok" : "wrong byte";
                } catch (Exception e) {
                    outcome = e.toString().replace('\n', ' ');
                }
                // After close: the server's own files are gone, so whatever is left was planted.
                System.out.println(outcome);
            }
        }
    }
}
