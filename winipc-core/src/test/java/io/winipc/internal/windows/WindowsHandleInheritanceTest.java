package io.winipc.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.ptr.IntByReference;
import io.winipc.NamedObjectOptions;
import io.winipc.internal.ConnectAttempt;
import io.winipc.internal.Deadline;
import io.winipc.internal.NativePipe;
import io.winipc.internal.NativePipeServer;
import io.winipc.internal.OpenMode;
import io.winipc.pipe.PipeMode;
import io.winipc.testing.TestNames;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** No handle winipc opens can leak into a child process: none carries HANDLE_FLAG_INHERIT. */
@EnabledOnOs(OS.WINDOWS)
class WindowsHandleInheritanceTest {
    private final WindowsPlatform platform = new WindowsPlatform();

    static boolean inheritable(long handle) {
        IntByReference flags = new IntByReference();
        assertThat(Win32.Kernel32.INSTANCE.GetHandleInformation(handle, flags)).isTrue();
        return (flags.getValue() & Win32.HANDLE_FLAG_INHERIT) != 0;
    }

    @Test
    void pipeHandlesOnBothSidesAreNotInheritable() {
        String name = TestNames.unique("inherit-pipe");
        try (NativePipeServer server = platform.listen(name, Specs.listen(PipeMode.BYTE))) {
            CompletableFuture<NativePipe> accepted = CompletableFuture.supplyAsync(
                    () -> server.accept(Deadline.after(Duration.ofSeconds(30))));
            try (NativePipe client = ((ConnectAttempt.Connected) platform.tryConnect(name, Specs.connect(PipeMode.BYTE))).pipe();
                    NativePipe serverSide = accepted.join()) {
                assertThat(inheritable(((WindowsPipe) client).handle())).isFalse();
                assertThat(inheritable(((WindowsPipe) serverSide).handle())).isFalse();
            }
        }
    }

    @Test
    void namedObjectHandlesAreNotInheritable() {
        String name = TestNames.unique("inherit-objects");
        NamedObjectOptions options = NamedObjectOptions.defaults();
        WindowsSharedMemory shm = (WindowsSharedMemory) platform.sharedMemory(name + "-shm", OpenMode.CREATE_EXCLUSIVE, 4096, options);
        try (shm;
                KernelObject mutex = (KernelObject) platform.mutex(name + "-mutex", OpenMode.CREATE_OR_OPEN, options);
                KernelObject event = (KernelObject) platform.event(name + "-event", OpenMode.CREATE_OR_OPEN, true, false, options);
                KernelObject semaphore = (KernelObject) platform.semaphore(name + "-sem", OpenMode.CREATE_OR_OPEN, 1, 1, options)) {
            assertThat(inheritable(shm.handle())).isFalse();
            assertThat(inheritable(mutex.handle)).isFalse();
            assertThat(inheritable(event.handle)).isFalse();
            assertThat(inheritable(semaphore.handle)).isFalse();
            CancelEvents.Entry cancel = CancelEvents.take();
            try {
                assertThat(inheritable(cancel.handle())).isFalse();
            } finally {
                CancelEvents.give(cancel);
            }
        } finally {
            // close() lets go of the section handle only; the view goes with unmap().
            shm.unmap();
        }
    }
}
