package io.winipc;

/**
 * A pipe was used in the wrong mode: the message API on a byte-mode pipe, or the byte API on a
 * message-mode pipe.
 */
public class PipeModeException extends WinipcException {
    private static final long serialVersionUID = 1L;

    /** @param message what was misused, for a person */
    public PipeModeException(String message) {
        super(message);
    }
}
