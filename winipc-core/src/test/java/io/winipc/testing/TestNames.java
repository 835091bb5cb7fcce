package io.winipc.testing;

import java.util.concurrent.ThreadLocalRandom;

/** Unique object names, so that test runs and test classes never meet. */
public final class TestNames {
    private TestNames() {
    }

    /** @return a fresh name under {@code winipc-test/} with the given hint */
    public static String unique(String hint) {
        return "winipc-test/" + hint + "-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    }
}
