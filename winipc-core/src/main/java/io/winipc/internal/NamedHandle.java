package io.winipc.internal;

import io.winipc.ObjectClosedException;
import io.winipc.Scope;
import java.lang.ref.Cleaner;

/**
 * The open/closed state of one public handle to a named object ({@code SharedMemory}, {@code
 * Event}, {@code Semaphore}, {@code Mutex}), held by composition so that the public classes keep
 * their own public methods and expose no internal type. Closing, explicitly or by the
 * {@link Cleaners Cleaner} once the public object is forgotten, marks it closed first and then
 * runs the release action, exactly once.
 */
public final class NamedHandle {
    private final String kind;
    private final String name;
    private final Scope scope;
    private final boolean created;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /** What the Cleaner runs; holds neither the public object nor this handle. */
    private static final class Release implements Runnable {
        private final Runnable action;
        volatile boolean closed;

        Release(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            closed = true;
            action.run();
        }
    }

    /**
     * @param owner the public object; once it is unreachable the handle is closed
     * @param kind what it is, for messages ({@code "event"})
     * @param name its name
     * @param scope where the name lives
     * @param created whether the call that opened this handle created the object
     * @param release lets go of the native object; must not reference {@code owner}
     */
    public NamedHandle(Object owner, String kind, String name, Scope scope, boolean created, Runnable release) {
        this.kind = kind;
        this.name = name;
        this.scope = scope;
        this.created = created;
        this.release = new Release(release);
        this.cleanable = Cleaners.register(owner, this.release);
    }

    /** @return the object's name */
    public String name() {
        return name;
    }

    /** @return where the name lives */
    public Scope scope() {
        return scope;
    }

    /** @return whether the call that opened this handle created the object */
    public boolean created() {
        return created;
    }

    /** @return false once closed */
    public boolean isOpen() {
        return !release.closed;
    }

    /** @return true once closed */
    public boolean isClosed() {
        return release.closed;
    }

    /** @throws ObjectClosedException once closed */
    public void ensureOpen() {
        if (release.closed) {
            throw new ObjectClosedException(kind + " '" + name + "' is closed");
        }
    }

    /** Marks the handle closed and runs the release action; later calls do nothing. Thread-safe. */
    public void close() {
        cleanable.clean();
    }

    /**
     * @param type the public class's simple name
     * @param details more to show after the name ({@code ", 4096 bytes"}), or empty
     * @return {@code Type[name<details>]}, with {@code ", closed"} once closed
     */
    public String describe(String type, String details) {
        return type + "[" + name + details + (release.closed ? ", closed" : "") + "]";
    }
}
