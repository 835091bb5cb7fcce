package io.winipc.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts a second JVM of the same kind as the test JVM (the same {@code java.home}, so a Windows
 * JVM under Wine starts a Windows JVM) running a {@code main} class from the test class path.
 * Its standard output is readable line by line; standard error goes to a file that is printed
 * if the child fails, so a test failure says why.
 */
public final class ChildJvm implements AutoCloseable {
    /**
     * How long {@link #readLine()} waits for the child's next line: 60 s, or the system property
     * {@code winipc.test.lineTimeoutSeconds} (the emulated aarch64 run starts JVMs far more slowly).
     */
    public static final Duration LINE_TIMEOUT = Duration.ofSeconds(Long.getLong("winipc.test.lineTimeoutSeconds", 60));
    /** Queued after the child's last line when its output ends. */
    private static final String END = new String("end of output");

    private final Process process;
    private final Path stderr;
    private final java.io.BufferedReader out;
    /**
     * The child's lines, read by a daemon thread: a read from the process's stream cannot time out,
     * so readers wait on this queue instead, with a limit.
     */
    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(this::pump, "child-jvm-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private void pump() {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
            lines.add(END);
        } catch (IOException e) {
            lines.add(e);
        }
    }

    /** @return the java launcher of the running JVM */
    public static Path javaExecutable() {
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    }

    /**
     * @param main a class with a {@code main(String[])} on the test class path
     * @param args its arguments
     * @return the started child
     */
    public static ChildJvm start(Class<?> main, String... args) {
        return start(List.of(), main, args);
    }

    /**
     * @param jvmOptions extra JVM options, before the class name
     * @param main a class with a {@code main(String[])} on the test class path
     * @param args its arguments
     * @return the started child
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) {
        return start(java.util.Map.of(), jvmOptions, main, args);
    }

    /**
     * @param environment variables to set in the child, on top of this process's environment
     * @param jvmOptions extra JVM options, before the class name
     * @param main a class with a {@code main(String[])} on the test class path
     * @param args its arguments
     * @return the started child
     */
    public static ChildJvm start(java.util.Map<String, String> environment, List<String> jvmOptions, Class<?> main, String... args) {
        return start(List.of(), environment, jvmOptions, System.getProperty("java.class.path"), main, args);
    }

    /**
     * Starts the child with a file mode creation mask of its own (Linux): through {@code /bin/sh},
     * which sets it and then execs the JVM, so the JVM runs under it from its first instruction.
     *
     * @param umask the mask, e.g. {@code 0} or {@code 022}
     * @param environment variables to set in the child, on top of this process's environment
     * @param main a class with a {@code main(String[])} on the test class path
     * @param args its arguments
     * @return the started child
     */
    public static ChildJvm startWithUmask(int umask, java.util.Map<String, String> environment, Class<?> main, String... args) {
        return start(List.of("/bin/sh", "-c", "umask " + String.format("%03o", umask) + " && exec \"$0\" \"$@\""), environment, List.of(),
                System.getProperty("java.class.path"), main, args);
    }

    /**
     * @param jvmOptions extra JVM options, before the class path, such as a module path
     * @param classPath the child's class path instead of this JVM's
     * @param main a class with a {@code main(String[])} on {@code classPath}
     * @param args its arguments
     * @return the started child
     */
    public static ChildJvm startWithClassPath(List<String> jvmOptions, String classPath, Class<?> main, String... args) {
        return start(List.of(), java.util.Map.of(), jvmOptions, classPath, main, args);
    }

    /**
     * @param launcher what runs the JVM's command line, such as {@code setpriv --reuid=N ...}; empty for nothing
     * @param jvmOptions extra JVM options, before the class path
     * @param classPath the child's class path
     * @param main a class with a {@code main(String[])} on {@code classPath}
     * @param args its arguments
     * @return the started child
     */
    public static ChildJvm startThrough(List<String> launcher, List<String> jvmOptions, String classPath, Class<?> main,
            String... args) {
        return start(launcher, java.util.Map.of(), jvmOptions, classPath, main, args);
    }

    private static ChildJvm start(List<String> launcher, java.util.Map<String, String> environment, List<String> jvmOptions,
            String classPath, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(javaExecutable().toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        String processors = System.getProperty("winipc.test.childProcessorCount");
        if (processors != null) {
            command.add("-XX:ActiveProcessorCount=" + processors);
        }
        String securityProperties = System.getProperty("java.security.properties");
        if (securityProperties != null) {
            command.add("-Djava.security.properties=" + securityProperties);
        }
        String platform = System.getProperty("winipc.platform");
        if (platform != null) {
            command.add("-Dwinipc.platform=" + platform);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        try {
            Path err = Files.createTempFile("winipc-child-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process p;
            try {
                p = builder.start();
            } catch (IOException e) {
                // Wine now and then fails a CreateProcess with ERROR_INTERNAL_ERROR (1359) under load;
                // Windows documents no such failure for starting an executable, so one more try.
                if (e.getMessage() == null || !e.getMessage().contains("error=1359")) {
                    throw e;
                }
                p = builder.start();
            }
            return new ChildJvm(p, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the child's process */
    public Process process() {
        return process;
    }

    /** @return the child's pid */
    public long pid() {
        return process.pid();
    }

    /**
     * @return the next line the child printed, waiting up to {@link #LINE_TIMEOUT}
     * @throws AssertionError if the child ended or stayed silent, with its standard error
     */
    public String readLine() {
        return readLine(LINE_TIMEOUT);
    }

    /**
     * @param timeout how long to wait for the line
     * @return the next line the child printed
     * @throws AssertionError if the child ended, or printed nothing within the timeout, with its standard error
     */
    public String readLine(Duration timeout) {
        try {
            Object next = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("child JVM printed no line within " + timeout.toSeconds() + " s (alive: "
                        + process.isAlive() + "); stderr:\n" + stderrText());
            }
            if (next instanceof IOException e) {
                throw new UncheckedIOException(e);
            }
            if (next == END) {
                lines.add(END);
                throw new AssertionError("child JVM ended without output; exit "
                        + (process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : "?") + "; stderr:\n" + stderrText());
            }
            return (String) next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Reads lines until one starts with {@code prefix}.
     *
     * @return that line
     */
    public String awaitLine(String prefix) {
        while (true) {
            String line = readLine();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * @param line a command for the child's standard input
     * @return the child's next line of output, its answer
     */
    public String ask(String line) {
        send(line);
        return readLine();
    }

    /** Sends a line to the child's standard input. */
    public void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for the child to exit.
     *
     * @return its exit code
     * @throws AssertionError if it runs longer than {@code seconds}
     */
    public int waitFor(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child JVM still running after " + seconds + " s; stderr:\n" + stderrText());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for a zero exit, else fails with the child's standard error. */
    public void assertSucceeds(long seconds) {
        int code = waitFor(seconds);
        if (code != 0) {
            throw new AssertionError("child JVM exited " + code + "; stderr:\n" + stderrText());
        }
    }

    /** Kills the child abruptly: SIGKILL on Linux, TerminateProcess on Windows. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return what the child wrote to standard error so far */
    public String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // the child is gone; nothing more to read
        }
        new File(stderr.toString()).delete();
    }
}
