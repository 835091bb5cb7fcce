package io.winipc;

import java.util.OptionalInt;

/**
 * Who is at the other end of a pipe connection, as the OS reports it (never as the peer claims):
 * {@code SO_PEERCRED} on Linux, {@code GetNamedPipeClientProcessId} /
 * {@code GetNamedPipeServerProcessId} on Windows.
 *
 * @param pid the peer's process id
 * @param uid the peer's user id on Linux; empty on Windows
 * @param gid the peer's group id on Linux; empty on Windows
 */
public record PeerCredentials(long pid, OptionalInt uid, OptionalInt gid) {
}
