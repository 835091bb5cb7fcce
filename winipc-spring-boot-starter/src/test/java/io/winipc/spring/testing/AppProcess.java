package io.winipc.spring.testing;

import static org.awaitility.Awaitility.await;

import io.winipc.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * An application from the test class path run as its own process with {@code java -jar}: the jar
 * is a launcher whose manifest names the main class and lists the test class path, so the process
 * starts, runs and exits exactly as a packaged application does. Its output (standard output and
 * error together) is collected line by line.
 */
public final class AppProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private AppProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::collect, "app-process-output-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Writes a launcher jar for {@code main} and starts {@code java -jar} on it.
     *
     * @param main a class with a {@code main(String[])} on the test class path
     * @param args its arguments
     * @return the running process
     */
    public static AppProcess start(Class<?> main, String... args) {
        try {
            Path jar = launcherJar(main);
            List<String> command = new ArrayList<>(List.of(ChildJvm.javaExecutable().toString(), "-Xshare:auto",
                    "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
            command.addAll(Arrays.asList(args));
            return new AppProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path launcherJar(Class<?> main) throws IOException {
        Path jar = Files.createTempFile("winipc-app-", ".jar");
        jar.toFile().deleteOnExit();
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, main.getName());
        attributes.put(Attributes.Name.CLASS_PATH, Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry).toAbsolutePath().toUri())
                .map(URI::toString)
                .collect(Collectors.joining(" ")));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output ended: " + e + ")");
        }
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /** @return every line printed so far */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** @return everything printed so far, for assertion messages */
    public String output() {
        return String.join("\n", lines);
    }

    /** @return the first line printed so far that matches, if any */
    public Optional<String> line(Predicate<String> matching) {
        return lines.stream().filter(matching).findFirst();
    }

    /**
     * Waits for a line, failing at once if the process ends first.
     *
     * @param matching what the line must satisfy
     * @param atMost how long to wait
     * @return the line
     */
    public String awaitLine(Predicate<String> matching, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                .failFast("the process ended; output:\n" + output(), () -> !process.isAlive() && !reader.isAlive()
                        && line(matching).isEmpty())
                .until(() -> line(matching).isPresent());
        return line(matching).orElseThrow();
    }

    /** Sends a line to the process's standard input. */
    public void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
