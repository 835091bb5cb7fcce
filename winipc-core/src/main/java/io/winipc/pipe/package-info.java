/**
 * Named pipes: {@link io.winipc.pipe.PipeServer} listens on a name, {@link io.winipc.pipe.PipeClient}
 * connects to it, and each side talks through a {@link io.winipc.pipe.PipeConnection} in byte or
 * message mode. Windows named pipes on Windows, Unix domain sockets on Linux.
 *
 * <p>Nothing in this API is null unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.winipc.pipe;

import org.jspecify.annotations.NullMarked;
