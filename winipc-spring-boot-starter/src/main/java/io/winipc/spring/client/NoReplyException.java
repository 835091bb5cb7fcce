package io.winipc.spring.client;

import io.winipc.WinipcException;
import org.jspecify.annotations.Nullable;

/**
 * A request got no reply; {@link #getReason()} says how the exchange ended. A
 * {@code @PipeEndpoint} server closes the connection without a reply when its handler fails and no
 * error handler answers, or when it stops.
 */
public class NoReplyException extends WinipcException {
    private static final long serialVersionUID = 1L;

    /** How an exchange ended without a reply. */
    public enum Reason {
        /** The server closed the connection cleanly instead of replying. */
        CLOSED,
        /** The connection broke (the server process died or reset it) before a whole reply arrived. */
        BROKEN,
        /** No reply arrived within the template's read timeout; the connection was then closed. */
        TIMED_OUT
    }

    private final Reason reason;

    /** @param message what happened, for a person */
    public NoReplyException(String message) {
        this(message, Reason.CLOSED, null);
    }

    /**
     * @param message what happened, for a person
     * @param reason how the exchange ended
     * @param cause the lower-level failure, or null
     */
    public NoReplyException(String message, Reason reason, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return how the exchange ended */
    public Reason getReason() {
        return reason;
    }
}
