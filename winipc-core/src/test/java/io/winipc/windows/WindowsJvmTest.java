package io.winipc.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Wine test set-up gives tests a real Windows JVM whose children are Windows JVMs too. */
@EnabledOnOs(OS.WINDOWS)
class WindowsJvmTest {

    @Test
    void theClassPathIsMadeOfWindowsPathsThatExist() {
        String classPath = System.getProperty("java.class.path");
        assertThat(classPath).contains(";").doesNotContain(":/");
        for (String entry : classPath.split(";")) {
            assertThat(Files.exists(Path.of(entry))).as(entry).isTrue();
        }
    }

    @Test
    void childJvmIsAWindowsJvmFromTheSameJavaHome() {
        try (ChildJvm child = ChildJvm.start(PrintEnvironment.class)) {
            assertThat(child.readLine()).startsWith("Windows");
            assertThat(child.readLine()).isEqualTo(System.getProperty("java.home"));
            assertThat(child.readLine()).isEqualTo(System.getProperty("java.class.path"));
            child.assertSucceeds(60);
        }
    }

    /** Prints what the child JVM is. */
    public static final class PrintEnvironment {
        public static void main(String[] args) {
            System.out.println(System.getProperty("os.name"));
            System.out.println(System.getProperty("java.home"));
            System.out.println(System.getProperty("java.class.path"));
        }
    }
}
