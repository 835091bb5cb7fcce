package io.winipc.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /status}: what the sample's built-in client and consumer saw last. */
@RestController
public class StatusController {
    private final ScheduledClient client;

    StatusController(ScheduledClient client) {
        this.client = client;
    }

    @GetMapping("/status")
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("client", client.lastResults());
        return status;
    }
}
