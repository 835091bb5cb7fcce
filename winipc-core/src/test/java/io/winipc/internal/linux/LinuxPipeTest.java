package io.winipc.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.winipc.AccessPolicy;
import io.winipc.Scope;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.pipe.PipeServer;
import io.winipc.pipe.PipeServerOptions;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.TestNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** What only Linux can show: the socket files, SO_PEERCRED against another uid, Python, descriptors. */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinuxPipeTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int NOBODY = 65534;

    /** The documented mapping, written out independently of the code under test. */
    private static Path documentedSocketPath(String name, Scope scope) {
        String dir;
        if (scope == Scope.GLOBAL) {
            dir = "/tmp/winipc-global";
        } else {
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            dir = xdg != null && !xdg.isBlank() ? xdg + "/winipc" : "/tmp/winipc-" + LibC.getuid();
        }
        return Path.of(dir, name.replace("/", "%2F") + ".sock");
    }

    @Test
    void theSocketLivesAtTheDocumentedPathWithOwnerOnlyPermissions() throws IOException {
        String name = TestNames.unique("path");
        Path expected = documentedSocketPath(name, Scope.LOCAL);
        try (PipeServer server = PipeServer.listen(name)) {
            assertThat(expected).exists();
            assertThat(Files.getAttribute(expected, "unix:mode")).matches(mode -> ((Integer) mode & 0777) == 0600);
            assertThat(Files.getAttribute(expected.getParent(), "unix:mode")).matches(mode -> ((Integer) mode & 0777) == 0700);
        }
        assertThat(expected).doesNotExist();
        assertThat(Path.of(expected + ".lock")).doesNotExist();
    }

    @Test
    void aNameTooLongForASocketAddressIsMappedToAHashAndStillWorks() {
        String name = "winipc-test/" + "long-name-".repeat(18) + ProcessHandle.current().pid();
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(10));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            client.write("x".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readFully(1)).containsExactly('x');
            assertThat(documentedSocketPath(name, Scope.LOCAL).getParent()
                    .resolve(RuntimeDirectories.socketPath(documentedSocketPath(name, Scope.LOCAL).getParent(), name).getFileName()))
                    .exists().matches(p -> p.getFileName().toString().startsWith("h-"));
        }
    }

    @Test
    void aPythonClientUsingOnlyTheStandardLibraryExchangesMessages() throws Exception {
        String name = TestNames.unique("python");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE))) {
            Thread serving = new Thread(() -> server.serve(c -> {
                for (byte[] m; (m = c.readMessage()) != null; ) {
                    c.writeMessage(("java got " + m.length + " bytes: ").getBytes(StandardCharsets.UTF_8));
                    c.writeMessage(m);
                }
            }));
            serving.start();
            String script = String.join("\n",
                    "import sys",
                    "from multiprocessing.connection import Client",
                    "c = Client(sys.argv[1], family='AF_UNIX')",
                    "c.send_bytes(b'hello from python')",
                    "print(c.recv_bytes().decode(), c.recv_bytes().decode())",
                    "big = bytes(range(256)) * 8192",
                    "c.send_bytes(big)",
                    "c.recv_bytes()",
                    "print('big intact', c.recv_bytes() == big)",
                    "c.close()");
            Process python = new ProcessBuilder(PYTHON, "-c", script, documentedSocketPath(name, Scope.LOCAL).toString())
                    .redirectErrorStream(true).start();
            assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.exitValue()).as(out).isZero();
            assertThat(out).contains("java got 17 bytes:  hello from python").contains("big intact True");
        }
    }

    @Test
    void framesSplitAcrossWritesAndTheEightByteLengthAreReadIntoDirectBuffers() throws Exception {
        String name = TestNames.unique("frames");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE));
                java.nio.channels.SocketChannel raw = java.nio.channels.SocketChannel.open(
                        java.net.UnixDomainSocketAddress.of(documentedSocketPath(name, Scope.LOCAL)));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
            // -1, then the 8-byte length: the form Python's multiprocessing uses for very large payloads.
            frames.writeBytes(new byte[] {-1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 5});
            frames.writeBytes("hello".getBytes(StandardCharsets.UTF_8));
            frames.writeBytes(new byte[] {0, 0, 0, 3});
            frames.writeBytes("abc".getBytes(StandardCharsets.UTF_8));
            frames.writeBytes(new byte[] {-1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0});
            frames.writeBytes(new byte[] {0, 0, 0, 2});
            frames.writeBytes("xy".getBytes(StandardCharsets.UTF_8));
            byte[] all = frames.toByteArray();
            Thread writer = new Thread(() -> {
                try {
                    // One byte per write: headers and payloads arrive in pieces.
                    for (byte b : all) {
                        raw.write(java.nio.ByteBuffer.wrap(new byte[] {b}));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(64);
            assertThat(c.readMessage(in)).isEqualTo(5);
            assertThat(c.readMessage()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
            assertThat(c.readMessage(in)).isZero();
            assertThat(c.readMessage(in)).isEqualTo(2);
            writer.join(10_000);
            in.flip();
            byte[] got = new byte[in.remaining()];
            in.get(got);
            assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("helloxy");
            raw.close();
            assertThat(c.readMessage(in)).as("end of stream between messages").isEqualTo(-1);
        }
    }

    @Test
    void anEightByteLengthBeyondTheLimitIsRefusedWithoutWaitingForThePayload() throws Exception {
        String name = TestNames.unique("frames-huge");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE));
                java.nio.channels.SocketChannel raw = java.nio.channels.SocketChannel.open(
                        java.net.UnixDomainSocketAddress.of(documentedSocketPath(name, Scope.LOCAL)));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            // 2^40 bytes announced, none sent: a reader that tried to take the payload would hang.
            raw.write(java.nio.ByteBuffer.wrap(new byte[] {-1, -1, -1, -1, 0, 0, 1, 0, 0, 0, 0, 0}));
            java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(1 << 20);
            assertThatThrownBy(() -> c.readMessage(in)).isInstanceOf(io.winipc.OutOfRangeException.class)
                    .hasStackTraceContaining("1099511627776");
            assertThat(in.position()).isZero();
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void aClientOfAnotherUserCannotReachALocalPipe() throws Exception {
        assumeThat(LibC.getuid()).as("starting a process as another user needs root").isZero();
        String name = TestNames.unique("local-other-uid");
        try (PipeServer server = PipeServer.listen(name)) {
            assertThat(pythonAsNobody(documentedSocketPath(name, Scope.LOCAL))).startsWith("REFUSED").contains("Permission denied");
        }
    }

    @Test
    void aGlobalPipeDropsClientsOfUsersItsPolicyDoesNotName() throws Exception {
        assumeThat(LibC.getuid()).as("starting a process as another user needs root").isZero();
        String name = TestNames.unique("global-other-uid");
        // The policy opens the socket file to others but admits only uid 12345: SO_PEERCRED must drop nobody.
        PipeServerOptions options = PipeServerOptions.defaults().withScope(Scope.GLOBAL)
                .withAccess(AccessPolicy.currentUserOnly().allowingUids(12345));
        try (PipeServer server = PipeServer.listen(name, options)) {
            Thread serving = new Thread(() -> server.serve(c -> c.write(c.readFully(4))));
            serving.start();
            assertThat(pythonAsNobody(documentedSocketPath(name, Scope.GLOBAL))).isEqualTo("DROPPED");
        }
    }

    @Test
    void aGlobalPipeServesAnotherUserItsPolicyNames() throws Exception {
        assumeThat(LibC.getuid()).as("starting a process as another user needs root").isZero();
        String name = TestNames.unique("global-allowed-uid");
        PipeServerOptions options = PipeServerOptions.defaults().withScope(Scope.GLOBAL)
                .withAccess(AccessPolicy.currentUserOnly().allowingUids(NOBODY));
        try (PipeServer server = PipeServer.listen(name, options)) {
            Thread serving = new Thread(() -> server.serve(c -> c.write(c.readFully(4))));
            serving.start();
            assertThat(pythonAsNobody(documentedSocketPath(name, Scope.GLOBAL))).isEqualTo("ECHO ping");
        }
    }

    /** Runs a tiny socket client as nobody; it prints REFUSED, DROPPED or ECHO. */
    private static String pythonAsNobody(Path socket) throws Exception {
        String script = String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
                "s.settimeout(30)",
                "try:",
                "    s.connect(sys.argv[1])",
                "except OSError as e:",
                "    print('REFUSED', e.strerror); sys.exit(0)",
                "try:",
                "    s.sendall(b'ping')",
                "    data = s.recv(4)",
                "except OSError:",
                "    data = b''",
                "print('ECHO ' + data.decode() if data else 'DROPPED')");
        Process p = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                PYTHON, "-c", script, socket.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aRuntimeDirectoryOpenToOthersOrOwnedBySomeoneElseIsRefused() throws Exception {
        Path base = Files.createTempDirectory("winipc-xdg");
        Path dir = Files.createDirectory(base.resolve("winipc"));
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            try (ChildJvm child = ChildJvm.start(Map.of("XDG_RUNTIME_DIR", base.toString()), List.of(),
                    ListenProbe.class, TestNames.unique("open-dir"))) {
                assertThat(child.readLine()).startsWith(WinipcAccessDeniedException.class.getName()).contains("open to others");
                child.assertSucceeds(60);
            }
            if (LibC.getuid() == 0) {
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                new ProcessBuilder("chown", NOBODY + ":" + NOBODY, dir.toString()).start().waitFor();
                try (ChildJvm child = ChildJvm.start(Map.of("XDG_RUNTIME_DIR", base.toString()), List.of(),
                        ListenProbe.class, TestNames.unique("foreign-dir"))) {
                    assertThat(child.readLine()).startsWith(WinipcAccessDeniedException.class.getName()).contains("belongs to uid " + NOBODY);
                    child.assertSucceeds(60);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Tries to listen and prints the outcome: the exception class and message, or LISTENED. */
    public static final class ListenProbe {
        public static void main(String[] args) {
            try (PipeServer server = PipeServer.listen(args[0])) {
                System.out.println("LISTENED");
            } catch (RuntimeException e) {
                System.out.println(e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void aThousandConnectionsLeakNoDescriptors() throws IOException {
        String name = TestNames.unique("fd-leak");
        try (PipeServer server = PipeServer.listen(name, PipeServerOptions.defaults().withMode(PipeMode.MESSAGE))) {
            Thread serving = new Thread(() -> server.serve(c -> {
                for (byte[] m; (m = c.readMessage()) != null; ) {
                    c.writeMessage(m);
                }
            }));
            serving.start();
            warmUp(name);
            long before = openDescriptors();
            for (int i = 0; i < 1000; i++) {
                try (PipeConnection c = PipeClient.connect(name, io.winipc.pipe.PipeClientOptions.defaults()
                        .withMode(PipeMode.MESSAGE).withConnectTimeout(Duration.ofSeconds(10)))) {
                    c.writeMessage(new byte[] {(byte) i});
                    assertThat(c.readMessage()).containsExactly((byte) i);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> openDescriptors() <= before);
        }
    }

    private static void warmUp(String name) {
        try (PipeConnection c = PipeClient.connect(name, io.winipc.pipe.PipeClientOptions.defaults()
                .withMode(PipeMode.MESSAGE).withConnectTimeout(Duration.ofSeconds(10)))) {
            c.writeMessage(new byte[1]);
            c.readMessage();
        }
    }

    @Test
    void everyDescriptorOfAPipeIsCloseOnExec() throws IOException {
        Set<String> before = socketDescriptors();
        String name = TestNames.unique("cloexec");
        try (PipeServer server = PipeServer.listen(name);
                PipeConnection client = PipeClient.connect(name, Duration.ofSeconds(10));
                PipeConnection c = server.accept(Duration.ofSeconds(10))) {
            Set<String> ours = socketDescriptors();
            ours.removeAll(before);
            assertThat(ours).hasSizeGreaterThanOrEqualTo(3);
            for (String fd : ours) {
                String flags = Files.readAllLines(Path.of("/proc/self/fdinfo", fd)).stream()
                        .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
                int value = Integer.parseInt(flags.substring("flags:".length()).trim(), 8);
                assertThat(value & 02000000).as("O_CLOEXEC on fd %s (%s)", fd, flags).isNotZero();
            }
        }
    }

    private static Set<String> socketDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false;
                }
            }).map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
