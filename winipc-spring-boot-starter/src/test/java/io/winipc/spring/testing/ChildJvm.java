package io.winipc.spring.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a second JVM with the test class path, as winipc-core's test helper of the same name
 * does (the starter keeps its own copy rather than depend on the core's test sources). Its
 * standard output is read line by line; its standard error is kept in a file for failure messages.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path stderr;
    private final BufferedReader out;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * @param jvmOptions options before the class name
     * @param main a class with a main method on the test class path
     * @param args its arguments
     * @return the running child
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        command.add(Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        String platform = System.getProperty("winipc.platform");
        if (platform != null) {
            command.add("-Dwinipc.platform=" + platform);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        try {
            Path err = Files.createTempFile("winipc-spring-child-", ".err");
            return new ChildJvm(new ProcessBuilder(command).redirectError(err.toFile()).start(), err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the child's pid */
    public long pid() {
        return process.pid();
    }

    /** @param line a line for the child's standard input */
    public void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the child's next line of output; fails with its standard error if it ended */
    public String readLine() {
        try {
            String line = out.readLine();
            if (line == null) {
                throw new AssertionError("child JVM ended without output; stderr:\n" + stderrText());
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param prefix what the wanted line starts with @return the first such line */
    public String awaitLine(String prefix) {
        while (true) {
            String line = readLine();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** @param line a command @return the child's answer to it */
    public String ask(String line) {
        send(line);
        return readLine();
    }

    /** @return what the child wrote to standard error */
    public String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** @param seconds how long to wait @return the exit code */
    public int waitFor(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM still running after " + seconds + " s; stderr:\n" + stderrText());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing more to read from a dead child
        }
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}
