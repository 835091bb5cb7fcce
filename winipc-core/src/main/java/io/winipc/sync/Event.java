package io.winipc.sync;

import io.winipc.NamedObject;
import io.winipc.NamedObjectOptions;
import io.winipc.ObjectClosedException;
import io.winipc.Scope;
import io.winipc.internal.Deadline;
import io.winipc.internal.NamedHandle;
import io.winipc.internal.Names;
import io.winipc.internal.NativeEvent;
import io.winipc.internal.Offload;
import io.winipc.internal.OpenMode;
import io.winipc.internal.Platforms;
import java.time.Duration;
import java.util.Objects;

/**
 * A named event shared between processes: one side waits, another signals.
 *
 * <pre>{@code
 * // process A
 * try (Event ready = Event.create("myapp/ready", EventResetMode.MANUAL)) {
 *     if (!ready.await(Duration.ofSeconds(10))) { ...timed out... }
 * }
 * // process B
 * try (Event ready = Event.create("myapp/ready", EventResetMode.MANUAL)) {
 *     ready.signal();
 * }
 * }</pre>
 *
 * <p>A {@link EventResetMode#MANUAL manual-reset} event stays signalled, releasing every waiter
 * in every process, until {@link #reset()}; every thread waiting at the moment of a
 * {@link #signal()} is released even if the event is reset right after. An
 * {@link EventResetMode#AUTO auto-reset} event releases exactly one waiter per signal and resets
 * itself as it does; signalling an already signalled event changes nothing (signals do not count
 * up). The mode and initial state are the creator's: opening a live event keeps its own.
 *
 * <p>Waits take a timeout or are interruptible ({@link io.winipc.OperationCanceledException},
 * interrupt status kept), and {@link #close()} from another thread ends them with
 * {@link ObjectClosedException}. On a virtual thread the native wait runs on a bounded pool of
 * platform threads (system property {@value Offload#POOL_SIZE_PROPERTY}, default 64) while the
 * virtual thread parks, so its carrier stays free; waits beyond the pool's size queue for a
 * thread, their timeout counting from the call.
 *
 * <p>{@link #create} opens the live event of that name or creates one (Windows'
 * {@code CreateEvent}), unless {@link NamedObjectOptions#exclusive()}; {@link #open} requires it
 * to be live. It disappears when the last holder closes it or dies.
 */
public final class Event implements NamedObject {
    private final NativeEvent nat;
    private final NamedHandle handle;

    private Event(String name, NamedObjectOptions options, NativeEvent nat) {
        this.nat = nat;
        this.handle = new NamedHandle(this, "event", name, options.scope(), nat.created(), nat::close);
    }

    /**
     * Opens the live event of that name or creates it not signalled, with the default options.
     *
     * @param name a bare name such as {@code myapp/ready}
     * @param mode how it resets, if this call creates it
     * @return the event
     */
    public static Event create(String name, EventResetMode mode) {
        return create(name, mode, false, NamedObjectOptions.defaults());
    }

    /**
     * Opens the live event of that name or creates it, with the default options.
     *
     * @param name a bare name such as {@code myapp/ready}
     * @param mode how it resets, if this call creates it
     * @param initiallySignalled its state, if this call creates it
     * @return the event
     */
    public static Event create(String name, EventResetMode mode, boolean initiallySignalled) {
        return create(name, mode, initiallySignalled, NamedObjectOptions.defaults());
    }

    /**
     * Opens the live event of that name or creates it; with {@link NamedObjectOptions#exclusive()} only creates it.
     *
     * @param name a bare name such as {@code myapp/ready}
     * @param mode how it resets, if this call creates it
     * @param initiallySignalled its state, if this call creates it
     * @param options scope, access, exclusivity
     * @return the event
     * @throws io.winipc.ObjectExistsException if exclusive and the name is live
     */
    public static Event create(String name, EventResetMode mode, boolean initiallySignalled, NamedObjectOptions options) {
        Names.validate(name);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(options, "options");
        OpenMode open = options.exclusive() ? OpenMode.CREATE_EXCLUSIVE : OpenMode.CREATE_OR_OPEN;
        return new Event(name, options, Platforms.get().event(name, open, mode == EventResetMode.MANUAL, initiallySignalled, options));
    }

    /**
     * Opens a live event with the default options.
     *
     * @param name its name
     * @return the event
     * @throws io.winipc.ObjectNotFoundException if no live event has that name
     * @throws io.winipc.WinipcAccessDeniedException if its owner is not one that
     *     {@link NamedObjectOptions#ownerTrust()} trusts (by default: the current user or a system account)
     */
    public static Event open(String name) {
        return open(name, NamedObjectOptions.defaults());
    }

    /**
     * Opens a live event.
     *
     * @param name its name
     * @param options scope and access
     * @return the event
     * @throws io.winipc.ObjectNotFoundException if no live event has that name
     * @throws io.winipc.WinipcAccessDeniedException if its owner is not one that
     *     {@link NamedObjectOptions#ownerTrust()} trusts (by default: the current user or a system account)
     */
    public static Event open(String name, NamedObjectOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        return new Event(name, options, Platforms.get().event(name, OpenMode.OPEN_EXISTING, false, false, options));
    }

    /** @return the event's name */
    @Override
    public String name() {
        return handle.name();
    }

    /** Sets the event: releases all waiters (manual reset) or one (auto reset). */
    public void signal() {
        handle.ensureOpen();
        nat.signal();
    }

    /** Clears the event; later waits block until the next signal. */
    public void reset() {
        handle.ensureOpen();
        nat.reset();
    }

    /**
     * Waits up to {@code timeout} for the event.
     *
     * @param timeout not negative; zero only tests the state (and for an auto-reset event takes the signal)
     * @return true if signalled, false if the timeout passed
     * @throws io.winipc.OperationCanceledException if interrupted (interrupt status kept)
     * @throws ObjectClosedException if closed, before or during the wait
     */
    public boolean await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return await(Deadline.after(timeout));
    }

    /**
     * Waits as long as it takes for the event.
     *
     * @throws io.winipc.OperationCanceledException if interrupted (interrupt status kept)
     * @throws ObjectClosedException if closed, before or during the wait
     */
    public void await() {
        await(Deadline.none());
    }

    private boolean await(Deadline deadline) {
        handle.ensureOpen();
        return Offload.await(nat::await, deadline);
    }

    @Override
    public Scope scope() {
        return handle.scope();
    }

    @Override
    public boolean created() {
        return handle.created();
    }

    /** @return false once closed */
    @Override
    public boolean isOpen() {
        return handle.isOpen();
    }

    /** Closes this handle; threads waiting on it get {@link ObjectClosedException}. Idempotent and thread-safe. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return handle.describe("Event", "");
    }
}
