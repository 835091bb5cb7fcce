package io.winipc.internal;

import io.winipc.Scope;

/**
 * What a backend needs to connect to a pipe name: the part of the public client options the OS
 * sees, already validated. Its own type so that the backends do not depend on the pipe package
 * that depends on them.
 *
 * @param messageMode whether the client reads whole messages (else a byte stream)
 * @param scope where the name lives
 */
public record PipeConnectSpec(boolean messageMode, Scope scope) {
}
