package io.winipc.sample;

import io.winipc.WinipcException;
import io.winipc.spring.client.PipeTemplate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Calls the sample's own endpoints through the {@link PipeTemplate} on a schedule, as another process would. */
@Component
public class ScheduledClient {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledClient.class);

    private final PipeTemplate template;
    private final SampleProperties properties;
    private final Map<String, String> lastResults = new ConcurrentHashMap<>();

    ScheduledClient(PipeTemplate template, SampleProperties properties) {
        this.template = template;
        this.properties = properties;
    }

    @Scheduled(initialDelayString = "${sample.client-interval:10s}", fixedDelayString = "${sample.client-interval:10s}")
    void callEndpoints() {
        String prefix = properties.pipePrefix();
        call("echo", () -> template.request(prefix + "/echo", "ping " + Instant.now(), String.class));
        call("quote", () -> template.request(prefix + "/quote", new SampleEndpoints.QuoteRequest("acme"),
                SampleEndpoints.Quote.class).toString());
    }

    private void call(String what, java.util.function.Supplier<String> call) {
        try {
            String result = call.get();
            lastResults.put(what, result);
            LOG.info("scheduled client: {} -> {}", what, result);
        } catch (WinipcException e) {
            lastResults.put(what, "failed: " + e);
            LOG.warn("scheduled client: {} failed: {}", what, e.toString());
        }
    }

    /** @return the last result of each call, for the status page */
    public Map<String, String> lastResults() {
        return new LinkedHashMap<>(lastResults);
    }
}
