package io.winipc.sample;

import io.winipc.ObjectClosedException;
import io.winipc.OperationCanceledException;
import io.winipc.shm.SharedMemory;
import io.winipc.spring.objects.NamedObjectRegistry;
import io.winipc.sync.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A producer and a consumer sharing a "board" in shared memory. The producer writes a sequence
 * number, a timestamp and a text under the {@code board-lock} mutex, then signals the
 * {@code board-updated} event; the consumer thread waits on the event and reads the board. Both
 * objects come from {@code winipc.*} properties: another process can open them by name and join in.
 *
 * <p>Layout of the region: bytes 0-7 the sequence (a long, native order), 8-15 the epoch
 * milliseconds, 16-19 the text's length, then the text in UTF-8.
 */
@Component
public class Board implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Board.class);
    private static final int TEXT_OFFSET = 20;

    private final SharedMemory memory;
    private final Event updated;
    private final NamedObjectRegistry objects;
    private final AtomicLong produced = new AtomicLong();
    private volatile Map<String, Object> lastSeen = Map.of();
    private volatile Thread consumer;

    Board(@Qualifier("board") SharedMemory memory, @Qualifier("board-updated") Event updated, NamedObjectRegistry objects) {
        this.memory = memory;
        this.updated = updated;
        this.objects = objects;
    }

    /** The producer: writes the next entry and wakes the consumer. */
    @Scheduled(initialDelayString = "${sample.producer-interval:2s}", fixedDelayString = "${sample.producer-interval:2s}")
    void produce() {
        long sequence = produced.incrementAndGet();
        byte[] text = ("entry " + sequence + " from pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
        objects.withMutex("board-lock", Duration.ofSeconds(5), () -> {
            memory.putLong(8, System.currentTimeMillis());
            memory.putInt(16, text.length);
            memory.write(TEXT_OFFSET, text);
            memory.setLongVolatile(0, sequence);
            return null;
        });
        updated.signal();
    }

    private void consume() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (!updated.await(Duration.ofSeconds(1))) {
                    continue;
                }
                Map<String, Object> seen = objects.withMutex("board-lock", Duration.ofSeconds(5), () -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("sequence", memory.getLongVolatile(0));
                    entry.put("writtenAt", Instant.ofEpochMilli(memory.getLong(8)).toString());
                    int length = memory.getInt(16);
                    entry.put("text", new String(memory.read(TEXT_OFFSET, length), StandardCharsets.UTF_8));
                    return entry;
                });
                lastSeen = seen;
                LOG.debug("consumer read {}", seen);
            } catch (OperationCanceledException | ObjectClosedException e) {
                return;
            }
        }
    }

    /** @return what the consumer read last */
    public Map<String, Object> lastSeen() {
        return lastSeen;
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::consume, "board-consumer");
        thread.setDaemon(true);
        consumer = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread thread = consumer;
        consumer = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return consumer != null;
    }
}
