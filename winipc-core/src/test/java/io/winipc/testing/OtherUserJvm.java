package io.winipc.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a main class of the test class path as another user, with {@code setpriv} (the caller must
 * be root). The JNA jar lives in root's Maven repository, which other users cannot read, so it is
 * copied to a directory they can; JNA unpacks its native part there too.
 */
public final class OtherUserJvm {
    private OtherUserJvm() {
    }

    /**
     * @param uid the real and effective uid of the child
     * @param gid its real and effective gid
     * @param groups its supplementary groups, comma-separated, or empty for none
     * @return what the child printed on stdout, trimmed, after it exited with status 0
     */
    public static String run(int uid, int gid, String groups, Class<?> main, String... args) throws Exception {
        Path dir = readableDirectory();
        try {
            List<String> command = new ArrayList<>(launcher(uid, gid, groups));
            command.addAll(List.of(ChildJvm.javaExecutable().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                    "-Djna.tmpdir=" + dir, "-cp", classPath(dir), main.getName()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectError(dir.resolve("stderr").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(main.getSimpleName() + " as uid " + uid + " did not exit within 60 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new AssertionError(main.getSimpleName() + " as uid " + uid + " exited with " + p.exitValue() + ": "
                        + out + Files.readString(dir.resolve("stderr")));
            }
            return out;
        } finally {
            delete(dir);
        }
    }

    /**
     * Starts a main class of the test class path as another user and leaves it running, to talk to
     * over its standard input and output.
     *
     * @param uid the real and effective uid of the child
     * @param gid its real and effective gid
     * @param groups its supplementary groups, comma-separated, or empty for none
     * @return the running child; closing it kills it
     */
    public static ChildJvm start(int uid, int gid, String groups, Class<?> main, String... args) throws IOException {
        Path dir = readableDirectory();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        return ChildJvm.startThrough(launcher(uid, gid, groups), List.of("-Djna.tmpdir=" + dir), classPath(dir), main, args);
    }

    private static List<String> launcher(int uid, int gid, String groups) {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, groups.isEmpty() ? "--clear-groups" : "--groups=" + groups);
    }

    private static Path readableDirectory() throws IOException {
        Path dir = Files.createTempDirectory("winipc-other-user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    /**
     * @return the class path's directories, and copies in {@code dir} of the JNA jar and of
     *     winipc's own jars (a reactor build past {@code package} puts winipc-core on a module's
     *     class path as a jar rather than as its classes directory)
     */
    private static String classPath(Path dir) throws IOException {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                classPath.add(entry);
            } else if (p.getFileName().toString().matches("(jna-\\d|winipc-).*\\.jar")) {
                Path copy = Files.copy(p, dir.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
                classPath.add(copy.toString());
            }
        }
        return String.join(File.pathSeparator, classPath);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the OS clears it in the end
        }
    }
}
