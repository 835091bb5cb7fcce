package io.winipc.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /status}: what the sample's built-in client, board consumer and jobs did last. */
@RestController
public class StatusController {
    private final ScheduledClient client;
    private final Board board;
    private final Jobs jobs;

    StatusController(ScheduledClient client, Board board, Jobs jobs) {
        this.client = client;
        this.board = board;
        this.jobs = jobs;
    }

    @GetMapping("/status")
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("client", client.lastResults());
        status.put("boardLastSeen", board.lastSeen());
        status.put("jobsDone", jobs.done());
        status.put("jobsMostAtOnce", jobs.mostAtOnce());
        return status;
    }
}
