package io.winipc.internal;

import java.io.IOException;
import java.nio.channels.spi.AbstractInterruptibleChannel;

/**
 * Runs an action when the current thread is interrupted while it is blocked in a native call
 * that {@link Thread#interrupt()} cannot wake by itself (poll, futex, WaitForMultipleObjects).
 * The action must wake that call, typically by signalling an eventfd, futex word or cancel event
 * the call also waits on.
 *
 * <p>It rides on the JDK's public hook for interruptible channels, which registers with the
 * thread so that {@code Thread.interrupt()} closes the channel; closing this one runs the action.
 * The action also runs at once if the thread is already interrupted at {@link #begin}.
 *
 * <pre>{@code
 * InterruptHook hook = InterruptHook.begin(this::wakeWaiters);
 * try {
 *     nativeWait(...);
 * } finally {
 *     if (hook.end()) { throw new OperationCanceledException(...); }
 * }
 * }</pre>
 */
public final class InterruptHook extends AbstractInterruptibleChannel {
    private final Runnable onInterrupt;

    private InterruptHook(Runnable onInterrupt) {
        this.onInterrupt = onInterrupt;
    }

    /**
     * @param onInterrupt wakes the blocked call; runs on the interrupting thread
     * @return the hook, which the caller must {@link #end()} in a finally block
     */
    public static InterruptHook begin(Runnable onInterrupt) {
        InterruptHook hook = new InterruptHook(onInterrupt);
        hook.arm();
        return hook;
    }

    /**
     * A hook for an object whose blocking calls all end for good when one is interrupted (the
     * action closes the object): {@link #arm()} it before each blocking call and {@link #end()}
     * it after, so that no call allocates a hook. Once it has run its action it never runs it
     * again.
     *
     * @param onInterrupt closes the object, which wakes the blocked call; runs on the interrupting thread
     */
    public static InterruptHook reusable(Runnable onInterrupt) {
        return new InterruptHook(onInterrupt);
    }

    /** Arms the hook for the calling thread; runs the action at once if the thread is already interrupted. */
    public void arm() {
        begin();
    }

    /** @return whether the thread was interrupted while the hook was armed (its interrupt status stays set) */
    public boolean end() {
        try {
            end(true);
        } catch (IOException interruptedOrClosed) {
            // ClosedByInterruptException is the only case possible here: end(true) never reports an
            // asynchronous close, and only an interrupt closes this channel.
        }
        return Thread.currentThread().isInterrupted();
    }

    @Override
    protected void implCloseChannel() {
        onInterrupt.run();
    }
}
