package io.winipc.sample;

import io.winipc.Scope;
import io.winipc.shm.SharedMemory;
import io.winipc.spring.PeerPid;
import io.winipc.spring.PipeEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The "service and desktop user" profile ({@code service}, see {@code application-service.yml}):
 * a GLOBAL pipe that a desktop program of another account calls, and a GLOBAL shared region it
 * reads. Each request is counted, and the count and time are written into the region as one line
 * of text, so the desktop side can also just read the region.
 */
@Component
@Profile("service")
public class DesktopEndpoint {
    private final SharedMemory status;
    private final AtomicLong requests = new AtomicLong();

    /** @param status the region {@code winipc.shared-memory.desktop-status} of the service profile */
    public DesktopEndpoint(@Qualifier("desktop-status") SharedMemory status) {
        this.status = status;
    }

    /**
     * Answers a desktop program: {@code <prefix>/desktop}, GLOBAL; who may connect is
     * {@code winipc.pipe.endpoints.desktop.allow}.
     *
     * @param text anything; echoed back
     * @param pid the calling process
     * @return the request count, the caller's pid and its text
     */
    @PipeEndpoint(name = "${sample.pipe-prefix:winipc-sample}/desktop", id = "desktop", scope = Scope.GLOBAL)
    public String desktop(String text, @PeerPid long pid) {
        long n = requests.incrementAndGet();
        byte[] line = ("requests=" + n + " at=" + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (status) {
            status.write(0, new byte[(int) Math.min(status.size(), 128)]);
            status.write(0, line);
        }
        return "request " + n + " from pid " + pid + ": " + text;
    }
}
