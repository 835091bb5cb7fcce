/**
 * winipc's entry point ({@link io.winipc.Winipc}), the type every named object shares
 * ({@link io.winipc.NamedObject}), the options and scope that name them, and the exceptions every
 * operation throws. Pipes, shared memory and synchronization objects are in the
 * {@code pipe}, {@code shm} and {@code sync} packages.
 *
 * <p>Nothing in this API is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc;

import org.jspecify.annotations.NullMarked;
