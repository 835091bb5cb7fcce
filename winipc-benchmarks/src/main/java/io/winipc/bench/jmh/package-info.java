/**
 * JMH benchmarks the harness runs for shared memory and the synchronization objects.
 */
@NullMarked
package io.winipc.bench.jmh;

import org.jspecify.annotations.NullMarked;
