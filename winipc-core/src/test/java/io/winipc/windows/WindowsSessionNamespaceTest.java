package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.NamedObjectOptions;
import io.winipc.ObjectExistsException;
import io.winipc.Scope;
import io.winipc.internal.Platforms;
import io.winipc.internal.windows.WindowsPlatform;
import io.winipc.sync.Mutex;
import io.winipc.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * In a service (session 0) the object manager maps {@code Local\} onto the global namespace, so
 * {@code Local\x} and {@code Global\x} are one object; in an interactive session they are two.
 * A mutex's in-process bookkeeping (ownership, reentrancy, the dedicated thread of virtual
 * threads) must follow the OS: one bookkeeping entry exactly when the OS has one object.
 * Wine runs every process in an interactive session, so only that branch runs here; a test run
 * as a service on real Windows takes the other.
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsSessionNamespaceTest {
    private static final NamedObjectOptions GLOBAL = NamedObjectOptions.defaults().withScope(Scope.GLOBAL);

    @Test
    void localAndGlobalMutexesShareBookkeepingExactlyWhenTheSessionFoldsTheNamespaces() {
        WindowsPlatform platform = (WindowsPlatform) Platforms.get();
        String name = TestNames.unique("session-scope");
        System.out.println("[session] this process runs in session " + platform.sessionId());
        try (Mutex local = Mutex.create(name)) {
            if (platform.sessionId() == 0) {
                assertThat(platform.namespaceOf(Scope.LOCAL)).isEqualTo(Scope.GLOBAL);
                // One object: creating it exclusively in Global\ must fail, and ownership is shared.
                assertThatThrownBy(() -> Mutex.create(name, GLOBAL.withExclusive(true))).isInstanceOf(ObjectExistsException.class);
                try (Mutex global = Mutex.open(name, GLOBAL)) {
                    local.lock();
                    assertThat(global.isHeldByCurrentThread()).isTrue();
                    local.unlock();
                }
            } else {
                assertThat(platform.namespaceOf(Scope.LOCAL)).isEqualTo(Scope.LOCAL);
                // Two objects: each has its own owner.
                try (Mutex global = Mutex.create(name, GLOBAL)) {
                    local.lock();
                    assertThat(global.isHeldByCurrentThread()).isFalse();
                    assertThat(global.tryLock()).isTrue();
                    global.unlock();
                    local.unlock();
                }
            }
        }
    }
}
