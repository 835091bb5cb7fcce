package io.winipc.spring.client;

import io.winipc.WinipcException;

/**
 * The server closed the connection instead of replying, which is what a {@code @PipeEndpoint}
 * server does when its handler throws.
 */
public class NoReplyException extends WinipcException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, for a person */
    public NoReplyException(String message) {
        super(message);
    }
}
