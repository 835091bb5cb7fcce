package io.winipc.sample;

import io.winipc.WinipcException;
import io.winipc.pipe.PipeClient;
import io.winipc.pipe.PipeClientOptions;
import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The jar's client mode, which talks to a running sample from another terminal with winipc's core
 * API alone (no Spring context, so it starts fast):
 *
 * <pre>
 * java -jar winipc-sample-app.jar client echo hello          # prints hello
 * java -jar winipc-sample-app.jar client quote acme          # prints the JSON quote
 * java -jar winipc-sample-app.jar client upper "some text"   # prints SOME TEXT (byte-mode stream)
 * java -jar winipc-sample-app.jar client job 1500            # a semaphore-limited job working 1500 ms
 * java -jar winipc-sample-app.jar client --prefix=other echo hi   # a sample started with sample.pipe-prefix=other
 * </pre>
 */
public final class ClientMode {
    /** The default first part of the sample's pipe names. */
    public static final String DEFAULT_PREFIX = "winipc-sample";

    private ClientMode() {
    }

    /**
     * @param args the command and its argument, optionally after {@code --prefix=...}
     * @param out where replies go
     * @param err where errors go
     * @return the exit code: 0 on success, 1 on failure, 2 on bad usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String prefix = DEFAULT_PREFIX;
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--prefix=")) {
                prefix = arg.substring("--prefix=".length());
            } else {
                rest.add(arg);
            }
        }
        if (rest.size() < 2) {
            err.println("usage: client [--prefix=NAME] echo TEXT | quote SYMBOL | upper TEXT | job MILLISECONDS");
            return 2;
        }
        String command = rest.get(0);
        String argument = String.join(" ", rest.subList(1, rest.size()));
        PipeClientOptions message = PipeClientOptions.defaults().withMode(PipeMode.MESSAGE)
                .withConnectTimeout(Duration.ofSeconds(5));
        try {
            switch (command) {
                case "echo" -> out.println(request(prefix + "/echo", message, argument));
                case "quote" -> out.println(request(prefix + "/quote", message,
                        "{\"symbol\":\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"));
                case "job" -> out.println(request(prefix + "/job", message, argument));
                case "upper" -> out.println(upper(prefix + "/upper", argument));
                default -> {
                    err.println("unknown command: " + command);
                    return 2;
                }
            }
            return 0;
        } catch (WinipcException | IOException e) {
            err.println("failed: " + e);
            return 1;
        }
    }

    private static String request(String pipe, PipeClientOptions options, String text) {
        try (PipeConnection connection = PipeClient.connect(pipe, options)) {
            connection.setReadTimeout(Duration.ofSeconds(60));
            connection.writeMessage(text.getBytes(StandardCharsets.UTF_8));
            byte[] reply = connection.readMessage();
            if (reply == null) {
                throw new WinipcException("the server closed the connection without a reply");
            }
            return new String(reply, StandardCharsets.UTF_8);
        }
    }

    private static String upper(String pipe, String text) throws IOException {
        try (PipeConnection connection = PipeClient.connect(pipe, Duration.ofSeconds(5))) {
            connection.setReadTimeout(Duration.ofSeconds(60));
            connection.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(connection.inputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
