package io.winipc.channel;

import io.winipc.BrokenPipeException;

/**
 * The other end of a channel is gone: it closed, or its process died. A receiver gets it only
 * after it has taken every message the sender completed; a sender gets it as soon as it notices,
 * since nobody will take what it sends. The channel cannot be used again; create a new one.
 */
public class PeerGoneException extends BrokenPipeException {
    private static final long serialVersionUID = 1L;

    private final boolean crashed;

    /**
     * @param message what happened, for a person
     * @param crashed true if the peer's process died without closing its end
     */
    public PeerGoneException(String message, boolean crashed) {
        super(message, 0);
        this.crashed = crashed;
    }

    /** @return true if the peer's process died without closing its end, false if it closed it */
    public boolean peerCrashed() {
        return crashed;
    }
}
