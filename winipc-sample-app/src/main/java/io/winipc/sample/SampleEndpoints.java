package io.winipc.sample;

import io.winipc.pipe.PipeConnection;
import io.winipc.pipe.PipeMode;
import io.winipc.spring.PeerPid;
import io.winipc.spring.PipeEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** The sample's pipe endpoints: request-reply with text, with JSON, and a byte-mode stream. */
@Component
public class SampleEndpoints {

    /** A JSON request: which quote to look up. */
    public record QuoteRequest(String symbol) {
    }

    /** A JSON reply. */
    public record Quote(String symbol, long priceCents, Instant at, long servedToPid) {
    }

    /** Echoes the text it receives: {@code winipc-sample/echo}. */
    @PipeEndpoint(name = "${sample.pipe-prefix:winipc-sample}/echo", id = "echo")
    public String echo(String text) {
        return text;
    }

    /** Answers a JSON {@link QuoteRequest} with a JSON {@link Quote}: {@code winipc-sample/quote}. */
    @PipeEndpoint(name = "${sample.pipe-prefix:winipc-sample}/quote", id = "quote", concurrency = "4")
    public Quote quote(QuoteRequest request, @PeerPid long pid) {
        String symbol = request.symbol() == null ? "" : request.symbol().toUpperCase(Locale.ROOT);
        long price = 10_000 + Math.floorMod(symbol.hashCode(), 90_000);
        return new Quote(symbol, price, Instant.now(), pid);
    }

    /**
     * A byte-mode stream: every line the client writes comes back upper-cased, until the client
     * closes: {@code winipc-sample/upper}.
     */
    @PipeEndpoint(name = "${sample.pipe-prefix:winipc-sample}/upper", id = "upper", mode = PipeMode.BYTE)
    public void upper(PipeConnection connection) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(connection.inputStream(), StandardCharsets.UTF_8));
        OutputStream out = connection.outputStream();
        String line;
        while ((line = in.readLine()) != null) {
            out.write((line.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
