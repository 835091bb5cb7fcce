package io.winipc.spring.objects;

import io.winipc.Scope;
import io.winipc.spring.TrustProperties;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * How each kind of named object is configured under {@code winipc.shared-memory.<name>},
 * {@code winipc.events.<name>}, {@code winipc.semaphores.<name>} and {@code winipc.mutexes.<name>}.
 */
public final class NamedObjectSpecs {
    private NamedObjectSpecs() {
    }

    /** What every kind has. */
    public abstract static class Common {

        /** The object's name for the OS, such as {@code myapp/ready}; by default the map key. */
        private @Nullable String name;

        /** Where the name lives: LOCAL (this user's) or GLOBAL (machine-wide). */
        private Scope scope = Scope.LOCAL;

        /** Whether to create the object, open an existing one, or create it unless it exists. */
        private OpenPolicy open = OpenPolicy.CREATE_OR_OPEN;

        public @Nullable String getName() {
            return name;
        }

        public void setName(@Nullable String name) {
            this.name = name;
        }

        public Scope getScope() {
            return scope;
        }

        public void setScope(Scope scope) {
            this.scope = scope;
        }

        public OpenPolicy getOpen() {
            return open;
        }

        public void setOpen(OpenPolicy open) {
            this.open = open;
        }

        /**
         * Who besides the current user may use the object (uid:N, gid:N, Windows SIDs, aliases or
         * account names, or current-user); unset for winipc.access.allow.
         */
        private @Nullable List<String> allow;

        public @Nullable List<String> getAllow() {
            return allow;
        }

        public void setAllow(@Nullable List<String> allow) {
            this.allow = allow;
        }

        /**
         * Whose existing object this one opens, replacing winipc.objects.owner-trust for it; unset
         * for winipc.objects.owner-trust.
         */
        private @Nullable TrustProperties ownerTrust;

        public @Nullable TrustProperties getOwnerTrust() {
            return ownerTrust;
        }

        public void setOwnerTrust(@Nullable TrustProperties ownerTrust) {
            this.ownerTrust = ownerTrust;
        }
    }

    /** A shared-memory region. */
    public static class SharedMemorySpec extends Common {

        /** The region's size; required unless the region is only opened. */
        private @Nullable DataSize size;

        public @Nullable DataSize getSize() {
            return size;
        }

        public void setSize(@Nullable DataSize size) {
            this.size = size;
        }
    }

    /** An event. */
    public static class EventSpec extends Common {

        /**
         * Whether the event stays signalled until reset (manual reset) rather than releasing one
         * waiter and resetting itself (auto reset).
         */
        private boolean manualReset = false;

        /** Whether the event is signalled when created. */
        private boolean initialState = false;

        public boolean isManualReset() {
            return manualReset;
        }

        public void setManualReset(boolean manualReset) {
            this.manualReset = manualReset;
        }

        public boolean isInitialState() {
            return initialState;
        }

        public void setInitialState(boolean initialState) {
            this.initialState = initialState;
        }
    }

    /** A counting semaphore. */
    public static class SemaphoreSpec extends Common {

        /** The permits available when the semaphore is created. */
        private int initial = 0;

        /** The most permits the semaphore can hold. */
        private int maximum = 1;

        public int getInitial() {
            return initial;
        }

        public void setInitial(int initial) {
            this.initial = initial;
        }

        public int getMaximum() {
            return maximum;
        }

        public void setMaximum(int maximum) {
            this.maximum = maximum;
        }
    }

    /** A mutex. */
    public static class MutexSpec extends Common {
    }
}
