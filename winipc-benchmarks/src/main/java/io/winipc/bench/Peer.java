package io.winipc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A peer process of the harness: a second JVM of the same kind as this one (same java.home and
 * class path, so a Windows JVM under Wine starts a Windows JVM) or a C program. Peers talk on
 * standard streams: "READY" when set up, "RESULT k=v ..." lines with their measurements; they
 * read commands such as "GO" or "STOP" from standard input. Standard error is passed through.
 */
final class Peer implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String description;

    private Peer(Process process, String description) {
        this.process = process;
        this.description = description;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }

    static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
    }

    /** Options every peer JVM gets, so that children match the JVM that runs the harness. */
    static List<String> childJvmOptions() {
        List<String> options = new ArrayList<>();
        String processors = System.getProperty("winipc.test.childProcessorCount");
        if (processors != null) {
            options.add("-XX:ActiveProcessorCount=" + processors);
        }
        String securityProperties = System.getProperty("java.security.properties");
        if (securityProperties != null) {
            options.add("-Djava.security.properties=" + securityProperties);
        }
        String platform = System.getProperty("winipc.platform");
        if (platform != null) {
            options.add("-Dwinipc.platform=" + platform);
        }
        if (Runtime.version().feature() >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        // For profiling the peers, e.g. BENCH_CHILD_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/peer-%p.jfr
        String extra = System.getenv("BENCH_CHILD_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    static Peer java(Class<?> main, List<String> jvmOptions, String... args) {
        return java(List.of(), main, jvmOptions, args);
    }

    /** @param launcher what the command starts with, such as a taskset prefix; may be empty */
    static Peer java(List<String> launcher, Class<?> main, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(javaExecutable().toString());
        command.addAll(childJvmOptions());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return start(command, main.getSimpleName() + " " + String.join(" ", args));
    }

    static Peer c(Path executable, String... args) {
        return c(List.of(), executable, args);
    }

    /** @param launcher what the command starts with, such as a taskset prefix; may be empty */
    static Peer c(List<String> launcher, Path executable, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(executable.toString());
        command.addAll(List.of(args));
        return start(command, executable.getFileName() + " " + String.join(" ", args));
    }

    private static Peer start(List<String> command, String description) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new Peer(p, description);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits for the line "READY". */
    Peer awaitReady() {
        // Other lines (a JVM's own notices, such as JFR's) are passed on.
        for (String line; !(line = nextLine()).equals("READY"); ) {
            System.err.println("[" + description + "] " + line);
        }
        return this;
    }

    void send(String command) {
        in.println(command);
    }

    /** @return the key/value pairs of the next RESULT line */
    Map<String, String> result() {
        while (true) {
            String line = nextLine();
            if (line.startsWith("RESULT")) {
                return parse(line);
            }
            System.err.println("[" + description + "] " + line);
        }
    }

    static Map<String, String> parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : line.substring("RESULT".length()).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                values.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return values;
    }

    private String nextLine() {
        try {
            String line = out.readLine();
            if (line == null) {
                boolean ended = process.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(description + " ended without output (exit "
                        + (ended ? process.exitValue() : "?") + ")");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the peer to end by itself. */
    int waitFor(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(description + " did not end within " + seconds + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        in.close();
        // SIGTERM first, so that a JVM peer runs its shutdown hooks (a JFR recording is written then).
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
