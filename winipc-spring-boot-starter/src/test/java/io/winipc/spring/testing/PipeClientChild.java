package io.winipc.spring.testing;

import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * A plain winipc client in a child JVM, without Spring: it proves that {@code @PipeEndpoint}s speak
 * to any winipc peer in another process. Commands on standard input, one answer line each:
 * <ul>
 * <li>{@code request <pipe> <text>}: one message-mode request; prints {@code reply <text>}, or
 *     {@code no-reply} when the server closed the connection instead</li>
 * <li>{@code requests <pipe> <n> <text>}: n requests on one connection; prints the last reply</li>
 * <li>{@code bytes <pipe> <base64>}: a request of raw bytes; prints {@code reply <base64>}</li>
 * <li>{@code send <pipe> <text>}: one message, no reply expected; prints {@code sent}</li>
 * <li>{@code stream <pipe> <text>}: byte mode: writes the text and a newline, prints the line read back</li>
 * <li>{@code exit}</li>
 * </ul>
 * An exception prints {@code error <class>: <message>}.
 */
public final class PipeClientChild {
    private PipeClientChild() {
    }

    /** @return a started child that has said it is ready */
    public static io.winipc.testing.ChildJvm launch() {
        io.winipc.testing.ChildJvm child = io.winipc.testing.ChildJvm.start(java.util.List.of(), PipeClientChild.class);
        String ready = child.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            child.close();
            throw new IllegalStateException("the client child did not start: " + ready);
        }
        return child;
    }

    /** @param child a child from {@link #launch()}, asked to exit and closed; fails unless it exits with 0 */
    public static void exit(io.winipc.testing.ChildJvm child) {
        child.send("exit");
        int code = child.waitFor(30);
        child.close();
        if (code != 0) {
            throw new IllegalStateException("the client child exited with " + code);
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split(" ", 3);
            if (parts[0].equals("exit")) {
                return;
            }
            try {
                System.out.println(run(parts));
            } catch (RuntimeException e) {
                System.out.println("error " + e.getClass().getName() + ": " + e.getMessage());
            }
            System.out.flush();
        }
    }

    private static String run(String[] parts) {
        String pipe = parts[1];
        PipeClientOptions message = PipeClientOptions.defaults().withMode(PipeMode.MESSAGE)
                .withConnectTimeout(Duration.ofSeconds(30));
        switch (parts[0]) {
            case "request": {
                try (PipeConnection c = PipeClient.connect(pipe, message)) {
                    c.writeMessage(parts[2].getBytes(StandardCharsets.UTF_8));
                    byte[] reply = c.readMessage();
                    return reply == null ? "no-reply" : "reply " + new String(reply, StandardCharsets.UTF_8);
                }
            }
            case "requests": {
                String[] rest = parts[2].split(" ", 2);
                int n = Integer.parseInt(rest[0]);
                try (PipeConnection c = PipeClient.connect(pipe, message)) {
                    byte[] reply = null;
                    for (int i = 0; i < n; i++) {
                        c.writeMessage((rest[1] + i).getBytes(StandardCharsets.UTF_8));
                        reply = c.readMessage();
                    }
                    return reply == null ? "no-reply" : "reply " + new String(reply, StandardCharsets.UTF_8);
                }
            }
            case "bytes": {
                try (PipeConnection c = PipeClient.connect(pipe, message)) {
                    c.writeMessage(Base64.getDecoder().decode(parts[2]));
                    byte[] reply = c.readMessage();
                    return reply == null ? "no-reply" : "reply " + Base64.getEncoder().encodeToString(reply);
                }
            }
            case "send": {
                try (PipeConnection c = PipeClient.connect(pipe, message)) {
                    c.writeMessage(parts[2].getBytes(StandardCharsets.UTF_8));
                    return "sent";
                }
            }
            case "stream": {
                try (PipeConnection c = PipeClient.connect(pipe, message.withMode(PipeMode.BYTE))) {
                    c.write((parts[2] + "\n").getBytes(StandardCharsets.UTF_8));
                    BufferedReader reader = new BufferedReader(new InputStreamReader(c.inputStream(), StandardCharsets.UTF_8));
                    return "line " + reader.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            default:
                return "error unknown command " + parts[0];
        }
    }
}
