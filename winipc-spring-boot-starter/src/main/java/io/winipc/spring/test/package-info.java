/**
 * Test support: {@link io.winipc.spring.test.RandomWinipcNames} gives each test context winipc names of its own.
 *
 * <p>Nothing here is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.spring.test;

import org.jspecify.annotations.NullMarked;
