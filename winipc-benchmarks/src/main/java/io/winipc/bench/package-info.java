/**
 * The benchmark harness: {@link io.winipc.bench.BenchMain} runs one class per group of
 * measurements beside C and JDK baselines and writes docs/BENCHMARKS.md.
 */
@NullMarked
package io.winipc.bench;

import org.jspecify.annotations.NullMarked;
