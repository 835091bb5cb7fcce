package io.winipc.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's own settings, under {@code sample.*}.
 *
 * @param pipePrefix the first part of every pipe name the sample serves, such as {@code winipc-sample/echo}
 * @param clientInterval how often the built-in client calls the endpoints
 * @param producerInterval how often the producer writes into shared memory and signals the event
 */
@ConfigurationProperties("sample")
public record SampleProperties(String pipePrefix, Duration clientInterval, Duration producerInterval) {

    /** Fills in the defaults. */
    public SampleProperties {
        pipePrefix = pipePrefix == null ? ClientMode.DEFAULT_PREFIX : pipePrefix;
        clientInterval = clientInterval == null ? Duration.ofSeconds(10) : clientInterval;
        producerInterval = producerInterval == null ? Duration.ofSeconds(2) : producerInterval;
    }
}
