package io.winipc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/** Records jdk.VirtualThreadPinned with JFR (threshold zero) and counts the events. */
final class Pinning implements AutoCloseable {
    private final Recording recording = new Recording();

    private Pinning() {
        recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
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
                return RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned")).count();
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
