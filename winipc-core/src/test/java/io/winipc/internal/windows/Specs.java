package io.winipc.internal.windows;

import io.winipc.AccessPolicy;
import io.winipc.Scope;
import io.winipc.internal.PipeConnectSpec;
import io.winipc.internal.PipeListenSpec;
import io.winipc.pipe.PipeMode;
import io.winipc.pipe.PipeServerOptions;

/** The backend's pipe specs for tests that drive the backend directly, as PipeServer and PipeClient build them from the defaults. */
final class Specs {
    private Specs() {
    }

    static PipeListenSpec listen(PipeMode mode) {
        PipeServerOptions d = PipeServerOptions.defaults();
        return new PipeListenSpec(mode == PipeMode.MESSAGE, Scope.LOCAL, d.maxInstances(), d.inBufferSize(), d.outBufferSize(),
                AccessPolicy.currentUserOnly());
    }

    static PipeConnectSpec connect(PipeMode mode) {
        return new PipeConnectSpec(mode == PipeMode.MESSAGE, Scope.LOCAL);
    }
}
