package io.winipc.internal;

import io.winipc.AccessPolicy;
import io.winipc.Scope;

/**
 * What a backend needs to listen on a pipe name: the part of the public server options the OS
 * sees, already validated. Its own type so that the backends do not depend on the pipe package
 * that depends on them.
 *
 * @param messageMode whether the pipe keeps message boundaries (else a byte stream)
 * @param scope where the name lives
 * @param maxInstances how many connections may be open at once, 1..{@link #MAX_INSTANCES}
 * @param inBufferSize the OS buffer for incoming data, in bytes (a hint)
 * @param outBufferSize the OS buffer for outgoing data, in bytes (a hint)
 * @param access who may connect
 */
public record PipeListenSpec(boolean messageMode, Scope scope, int maxInstances, int inBufferSize, int outBufferSize,
        AccessPolicy access) {

    /**
     * The most instances a pipe name can have, on both backends: 254, the largest bound Windows
     * enforces (255 is PIPE_UNLIMITED_INSTANCES, no bound at all).
     */
    public static final int MAX_INSTANCES = 254;
}
