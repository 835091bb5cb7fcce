package io.winipc.bench.jmh;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.winipc.shm.SharedMemory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Writes 64 MiB from a Java array into shared memory and reads it back into another array:
 * through winipc's API, and, for the analysis in docs/BENCHMARKS.md, through JNA's
 * {@code Pointer.write/read} on the same mapping (JNI's array-region copy, a plain memmove).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SharedMemoryBenchmark {
    public static final int SIZE = 64 << 20;

    private SharedMemory shm;
    private byte[] src;
    private byte[] dst;
    private Pointer mapping;

    @Setup
    public void open() {
        shm = SharedMemory.create("winipc-bench/jmh-shm-" + ProcessHandle.current().pid(), SIZE);
        src = new byte[SIZE];
        dst = new byte[SIZE];
        Arrays.fill(src, (byte) 7);
        mapping = Native.getDirectBufferPointer(shm.asByteBuffer());
    }

    @Benchmark
    public byte[] writeThenRead64MiB() {
        shm.write(0, src, 0, SIZE);
        shm.read(0, dst, 0, SIZE);
        return dst;
    }

    @Benchmark
    public byte[] writeThenRead64MiBWithJniCopy() {
        mapping.write(0, src, 0, SIZE);
        mapping.read(0, dst, 0, SIZE);
        return dst;
    }

    @TearDown
    public void close() {
        shm.close();
    }
}
