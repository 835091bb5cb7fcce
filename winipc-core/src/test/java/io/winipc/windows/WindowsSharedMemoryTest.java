package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.NamedObjectOptions;
import io.winipc.ObjectNotFoundException;
import io.winipc.Scope;
import io.winipc.shm.SharedMemory;
import io.winipc.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Windows specifics of shared memory: both size words, Local\ versus Global\ (close safety: SharedMemoryCloseTest). */
@EnabledOnOs(OS.WINDOWS)
class WindowsSharedMemoryTest {

    @Test
    void aRegionLargerThanFourGibibytesUsesBothSizeWords() {
        long size = 5L << 30;
        String name = TestNames.unique("shm-5g");
        try (SharedMemory created = SharedMemory.create(name, size); SharedMemory opened = SharedMemory.open(name)) {
            // The opener's size comes from the section itself: 1 GiB here would mean the high word was lost.
            assertThat(opened.size()).isEqualTo(size);
            created.putLong(size - 8, 0x0123456789L);
            assertThat(opened.getLongVolatile(size - 8)).isEqualTo(0x0123456789L);
        }
    }

    @Test
    void localAndGlobalAreSeparateNamespaces() {
        String name = TestNames.unique("shm-scope");
        NamedObjectOptions global = NamedObjectOptions.defaults().withScope(Scope.GLOBAL);
        try (SharedMemory local = SharedMemory.create(name, 64)) {
            assertThatThrownBy(() -> SharedMemory.open(name, global)).isInstanceOf(ObjectNotFoundException.class);
            try (SharedMemory inGlobal = SharedMemory.create(name, 128, global);
                    SharedMemory openedInGlobal = SharedMemory.open(name, global)) {
                assertThat(openedInGlobal.size()).isEqualTo(4096);
                assertThat(local.size()).isEqualTo(64);
            }
        }
    }
}
