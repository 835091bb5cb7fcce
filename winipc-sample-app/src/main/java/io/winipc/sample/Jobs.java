package io.winipc.sample;

import io.winipc.spring.PipeEndpoint;
import io.winipc.sync.Semaphore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * A semaphore-limited job: the {@code job} endpoint accepts up to 8 clients at once, but the
 * {@code jobs} semaphore (2 permits, from {@code winipc.semaphores.jobs}) lets only 2 jobs run at a
 * time, across every process that opens it.
 */
@Component
public class Jobs {
    private final Semaphore permits;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();

    Jobs(@Qualifier("jobs") Semaphore permits) {
        this.permits = permits;
    }

    /**
     * Runs a job that takes the given number of milliseconds (at most 10,000) once a permit is free.
     *
     * @param millis how long the job works
     * @return a summary
     */
    @PipeEndpoint(name = "${sample.pipe-prefix:winipc-sample}/job", id = "job", concurrency = "8")
    public String job(String millis) throws InterruptedException {
        long work = Math.min(10_000, Math.max(0, Long.parseLong(millis.trim())));
        long start = System.nanoTime();
        if (!permits.tryAcquire(Duration.ofSeconds(60))) {
            return "no permit within 60 s";
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        try {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            TimeUnit.MILLISECONDS.sleep(work); // stands in for real work
            return "job done: worked " + work + " ms after waiting " + waited + " ms for a permit";
        } finally {
            running.decrementAndGet();
            done.incrementAndGet();
            permits.release();
        }
    }

    /** @return jobs finished so far */
    public int done() {
        return done.get();
    }

    /** @return the most jobs that ran at once */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }
}
