package io.winipc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/** Records jdk.VirtualThreadPinned with JFR (threshold zero) and counts the events. */
final class Pinning implements AutoCloseable {
    private final Recording recording = new Recording();

    private Pinning() {
        recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
        recording.start();
    }

    static Pinning record() {
        return new Pinning();
    }

    /** Stops the recording and counts its events. */
    long count() {
        try {
            recording.stop();
            Path file = Files.createTempFile("winipc-bench-pinning", ".jfr");
            try {
                recording.dump(file);
                List<RecordedEvent> pinned = RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).toList();
                // Say where, so that a pinned carrier in the table can be traced to its cause.
                for (RecordedEvent e : pinned) {
                    RecordedStackTrace stack = e.getStackTrace();
                    String where = stack == null ? "no stack trace" : stack.getFrames().stream().limit(8)
                            .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                            .collect(Collectors.joining(" < "));
                    System.err.println("[pinning] " + where);
                }
                return pinned.size();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        recording.close();
    }
}
