package io.winipc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.sync.Mutex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The leak checks of the test classes ({@code leavesNothingInDevShm}) count only this JVM's names:
 * another JVM running the same test class at the same time (another build on the machine) has
 * live files with the same class marker, which are not leftovers of this run. That was the cause
 * of MutexTest.leavesNothingInDevShm's one leftover file.
 */
@EnabledOnOs(OS.LINUX)
class NamedObjectsTest {

    @Test
    void filesOfIgnoresTheLiveObjectsOfAnotherJvmRunningTheSameTestClass() {
        String mine = NamedObjects.unique(NamedObjectsTest.class);
        // What another JVM's NamedObjects.unique hands out for this class (it is not issued here).
        String theirs = "t-" + NamedObjectsTest.class.getSimpleName() + "/other-jvm-" + ProcessHandle.current().pid();
        try (ChildJvm other = ChildJvm.start(Holder.class, theirs); Mutex m = Mutex.create(mine)) {
            assertThat(other.readLine()).isEqualTo("holding");
            assertThat(NamedObjects.filesOf(NamedObjectsTest.class)).hasSize(1).allMatch(f -> f.endsWith(mine.substring(mine.indexOf('/') + 1)));
            other.send("exit");
            other.assertSucceeds(60);
        }
        assertThat(NamedObjects.filesOf(NamedObjectsTest.class)).isEmpty();
    }

    /** Holds a mutex of the given name until told to exit. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (Mutex m = Mutex.create(args[0])) {
                System.out.println("holding");
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            }
        }
    }
}
