package io.winipc.windows;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The C peer (src/test/c/peer.c, {@code squat}) holding a name it created first, with a NULL DACL
 * and, if given, an owner SID of no real account: Wine, unlike Windows, lets an ordinary process
 * name any owner, so it plays another account. It lets go when its standard input closes.
 *
 * @param owner the owner SID the peer read back from its object
 */
record Squatter(Process process, BufferedReader out, String owner, Path stderr) implements AutoCloseable {
    /** A SID no account of this machine has. */
    static final String STRANGER = "S-1-5-21-1-2-3-4242";

    /**
     * @param kind {@code pipe}, {@code shm}, {@code mutex}, {@code event} or {@code semaphore}
     * @param ownerSid the owner to give the object, or null for the peer's default owner
     */
    static Squatter start(String kind, String name, String ownerSid) throws Exception {
        return start(kind, name, ownerSid, false);
    }

    /**
     * @param ownerSid the owner to give the object (not null with {@code leastPrivilege})
     * @param leastPrivilege whether the DACL grants Everyone only what using the object takes, without
     *     READ_CONTROL, instead of being NULL (not for pipes)
     */
    static Squatter start(String kind, String name, String ownerSid, boolean leastPrivilege) throws Exception {
        String exe = System.getProperty("winipc.test.peerExe");
        if (exe.startsWith("/")) {
            exe = "Z:" + exe.replace('/', '\\');
        }
        Path stderr = Files.createTempFile("winipc-squatter-", ".err");
        stderr.toFile().deleteOnExit();
        List<String> command = ownerSid == null ? List.of(exe, "squat", kind, name)
                : leastPrivilege ? List.of(exe, "squat", kind, name, ownerSid, "least")
                : List.of(exe, "squat", kind, name, ownerSid);
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("owner ")) {
            p.destroyForcibly();
            throw new AssertionError("the C squatter did not take " + name + ": " + line + " / " + Files.readString(stderr));
        }
        return new Squatter(p, out, line.substring("owner ".length()).trim(), stderr);
    }

    String nextLine() throws Exception {
        return out.readLine();
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
