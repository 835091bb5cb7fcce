package io.winipc.bench.jmh;

import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Uncontended named mutex lock/unlock and semaphore acquire/release, on one platform thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SyncBenchmark {
    private Mutex mutex;
    private Semaphore semaphore;

    @Setup
    public void open() {
        long pid = ProcessHandle.current().pid();
        mutex = Mutex.create("winipc-bench/jmh-mutex-" + pid);
        semaphore = Semaphore.create("winipc-bench/jmh-semaphore-" + pid, 1, 1);
    }

    @Benchmark
    public void mutexLockUnlock() {
        mutex.lock();
        mutex.unlock();
    }

    @Benchmark
    public int semaphoreAcquireRelease() {
        semaphore.acquire();
        return semaphore.release();
    }

    @TearDown
    public void close() {
        mutex.close();
        semaphore.close();
    }
}
