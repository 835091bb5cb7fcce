package io.winipc.spring.objects;

import io.winipc.AccessPolicy;
import io.winipc.NamedObject;
import io.winipc.NamedObjectOptions;
import io.winipc.ObjectExistsException;
import io.winipc.TrustPolicy;
import io.winipc.shm.SharedMemory;
import io.winipc.spring.AccessEntries;
import io.winipc.spring.objects.NamedObjectSpecs.Common;
import io.winipc.spring.objects.NamedObjectSpecs.EventSpec;
import io.winipc.spring.objects.NamedObjectSpecs.MutexSpec;
import io.winipc.spring.objects.NamedObjectSpecs.SemaphoreSpec;
import io.winipc.spring.objects.NamedObjectSpecs.SharedMemorySpec;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.LockResult;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;

/**
 * The named objects configured under {@code winipc.shared-memory}, {@code winipc.events},
 * {@code winipc.semaphores} and {@code winipc.mutexes}, opened at start-up and closed on
 * shutdown, looked up by their configured name. Each is also a bean of its own type with a
 * {@code @Qualifier} equal to its configured name.
 *
 * <p>An object that cannot be created or opened fails start-up when {@code winipc.fail-fast=true};
 * otherwise the failure is logged, reported DOWN by health, and thrown again by the lookup (and by
 * injecting the object's bean), so an application that only reaches its objects through this
 * registry or an {@code ObjectProvider} still starts.
 *
 * <p>The auto-configured registry closes its objects after every other singleton has been
 * destroyed (see {@link NamedObjectBeanRegistrar#closeLast(NamedObjectRegistry)}), so a bean's
 * {@code @PreDestroy} method may still use them, whether it injected them or looks them up here.
 * A registry defined as an ordinary bean is closed like any {@link AutoCloseable} bean.
 */
public class NamedObjectRegistry implements InitializingBean, AutoCloseable {
    private static final Log LOG = LogFactory.getLog(NamedObjectRegistry.class);

    /** The kinds of named object. */
    public enum Kind {
        /** {@link SharedMemory}. */
        SHARED_MEMORY(SharedMemory.class),
        /** {@link Event}. */
        EVENT(Event.class),
        /** {@link Semaphore}. */
        SEMAPHORE(Semaphore.class),
        /** {@link Mutex}. */
        MUTEX(Mutex.class);

        private final Class<? extends NamedObject> type;

        Kind(Class<? extends NamedObject> type) {
            this.type = type;
        }

        /** @return the core type of this kind */
        public Class<? extends NamedObject> type() {
            return type;
        }
    }

    /**
     * One configured object, for health.
     *
     * @param kind what it is
     * @param name its configured name
     * @param osName its name for the OS
     * @param spec its configuration
     * @param error why it could not be created or opened, or null if it is open
     * @param failedAt when that happened, or null
     */
    public record Entry(Kind kind, String name, String osName, Common spec, @Nullable Throwable error, @Nullable Instant failedAt) {
    }

    private final Map<String, SharedMemorySpec> sharedMemory;
    private final Map<String, EventSpec> events;
    private final Map<String, SemaphoreSpec> semaphores;
    private final Map<String, MutexSpec> mutexes;
    private final boolean failFast;
    private final NamedObjectObserver observer;
    private volatile String namePrefix = "";
    private final Map<Kind, Map<String, NamedObject>> open = new LinkedHashMap<>();
    private final Map<Kind, Map<String, Entry>> entries = new LinkedHashMap<>();
    private boolean closed;
    private List<String> defaultAccess = List.of();
    private TrustPolicy defaultOwnerTrust = TrustPolicy.currentUserOrSystem();

    /**
     * @param sharedMemory regions by configured name
     * @param events events by configured name
     * @param semaphores semaphores by configured name
     * @param mutexes mutexes by configured name
     * @param failFast whether a failure to create or open fails start-up
     * @param observer hears about abandoned mutexes
     */
    public NamedObjectRegistry(Map<String, SharedMemorySpec> sharedMemory, Map<String, EventSpec> events,
            Map<String, SemaphoreSpec> semaphores, Map<String, MutexSpec> mutexes, boolean failFast,
            NamedObjectObserver observer) {
        this.sharedMemory = new LinkedHashMap<>(sharedMemory);
        this.events = new LinkedHashMap<>(events);
        this.semaphores = new LinkedHashMap<>(semaphores);
        this.mutexes = new LinkedHashMap<>(mutexes);
        this.failFast = failFast;
        this.observer = Objects.requireNonNull(observer, "observer");
        for (Kind kind : Kind.values()) {
            open.put(kind, new LinkedHashMap<>());
            entries.put(kind, new LinkedHashMap<>());
        }
    }

    /**
     * @param entries {@link AccessEntries} for the objects whose own {@code allow} is unset
     *     ({@code winipc.access.allow}); set before {@link #afterPropertiesSet()}
     */
    public void setDefaultAccess(List<String> entries) {
        this.defaultAccess = List.copyOf(entries);
    }

    /**
     * @param ownerTrust whose existing object those objects whose own {@code owner-trust} is unset
     *     open ({@code winipc.objects.owner-trust}); set before {@link #afterPropertiesSet()}
     */
    public void setDefaultOwnerTrust(TrustPolicy ownerTrust) {
        this.defaultOwnerTrust = Objects.requireNonNull(ownerTrust, "ownerTrust");
    }

    /**
     * @param kind a kind
     * @param name a configured name
     * @return whose existing object the registry opens under that name: the object's own
     *     {@code owner-trust}, or else the default
     * @throws IllegalArgumentException if no such object is configured
     */
    public TrustPolicy ownerTrust(Kind kind, String name) {
        Common spec = switch (kind) {
            case SHARED_MEMORY -> sharedMemory.get(name);
            case EVENT -> events.get(name);
            case SEMAPHORE -> semaphores.get(name);
            case MUTEX -> mutexes.get(name);
        };
        if (spec == null) {
            throw new IllegalArgumentException("no " + describe(kind, name) + " is configured");
        }
        return ownerTrust(spec);
    }

    private TrustPolicy ownerTrust(Common spec) {
        return spec.getOwnerTrust() != null ? spec.getOwnerTrust().toPolicy() : defaultOwnerTrust;
    }

    /**
     * @param namePrefix put in front of every object's OS name ({@code winipc.name-prefix}); set before
     *     the registry opens the objects
     */
    public void setNamePrefix(String namePrefix) {
        this.namePrefix = Objects.requireNonNull(namePrefix, "namePrefix");
    }

    @Override
    public void afterPropertiesSet() {
        sharedMemory.forEach((name, spec) -> obtain(Kind.SHARED_MEMORY, name, spec, () -> openSharedMemory(name, spec)));
        events.forEach((name, spec) -> obtain(Kind.EVENT, name, spec, () -> openEvent(name, spec)));
        semaphores.forEach((name, spec) -> obtain(Kind.SEMAPHORE, name, spec, () -> openSemaphore(name, spec)));
        mutexes.forEach((name, spec) -> obtain(Kind.MUTEX, name, spec, () -> openMutex(name, spec)));
    }

    private synchronized void obtain(Kind kind, String name, Common spec, Supplier<NamedObject> opener) {
        String osName = osName(name, spec);
        try {
            NamedObject object = opener.get();
            open.get(kind).put(name, object);
            entries.get(kind).put(name, new Entry(kind, name, osName, spec, null, null));
        } catch (RuntimeException e) {
            entries.get(kind).put(name, new Entry(kind, name, osName, spec, e, Instant.now()));
            if (failFast) {
                closeAll();
                throw new NamedObjectUnavailableException(kind, name, osName, true, e);
            }
            LOG.warn("winipc " + describe(kind, name) + " ('" + osName + "') could not be obtained; it is"
                    + " reported DOWN, and a bean that injects it fails start-up (set winipc.fail-fast=true to fail"
                    + " start-up in any case): " + e);
        }
    }

    private String osName(String name, Common spec) {
        return namePrefix + (spec.getName() != null && !spec.getName().isBlank() ? spec.getName() : name);
    }

    private NamedObjectOptions options(String name, Common spec, boolean exclusive) {
        AccessPolicy access = spec.getAllow() != null
                ? AccessEntries.toPolicy(spec.getAllow(), "the allow entries of named object '" + name + "'")
                : AccessEntries.toPolicy(defaultAccess, "winipc.access.allow");
        return NamedObjectOptions.defaults().withScope(spec.getScope()).withExclusive(exclusive).withAccess(access)
                .withOwnerTrust(ownerTrust(spec));
    }

    private SharedMemory openSharedMemory(String name, SharedMemorySpec spec) {
        String osName = osName(name, spec);
        if (spec.getOpen() == OpenPolicy.OPEN) {
            return SharedMemory.open(osName, options(name, spec, false));
        }
        if (spec.getSize() == null) {
            throw new IllegalArgumentException("winipc.shared-memory." + name + ".size is required to create the region");
        }
        try {
            return SharedMemory.create(osName, spec.getSize().toBytes(), options(name, spec, true));
        } catch (ObjectExistsException e) {
            if (spec.getOpen() == OpenPolicy.CREATE) {
                throw e;
            }
            return SharedMemory.open(osName, options(name, spec, false));
        }
    }

    private Event openEvent(String name, EventSpec spec) {
        String osName = osName(name, spec);
        if (spec.getOpen() == OpenPolicy.OPEN) {
            return Event.open(osName, options(name, spec, false));
        }
        return Event.create(osName, spec.isManualReset() ? EventResetMode.MANUAL : EventResetMode.AUTO,
                spec.isInitialState(), options(name, spec, spec.getOpen() == OpenPolicy.CREATE));
    }

    private Semaphore openSemaphore(String name, SemaphoreSpec spec) {
        String osName = osName(name, spec);
        if (spec.getOpen() == OpenPolicy.OPEN) {
            return Semaphore.open(osName, options(name, spec, false));
        }
        return Semaphore.create(osName, spec.getInitial(), spec.getMaximum(),
                options(name, spec, spec.getOpen() == OpenPolicy.CREATE));
    }

    private Mutex openMutex(String name, MutexSpec spec) {
        String osName = osName(name, spec);
        if (spec.getOpen() == OpenPolicy.OPEN) {
            return Mutex.open(osName, options(name, spec, false));
        }
        return Mutex.create(osName, options(name, spec, spec.getOpen() == OpenPolicy.CREATE));
    }

    /**
     * @param kind the kind
     * @param name the configured name
     * @param <T> the kind's type
     * @return the open object
     * @throws IllegalArgumentException if no such object is configured
     * @throws NamedObjectUnavailableException (an {@link IllegalStateException}) if it could not be
     *     created or opened at start-up
     */
    public synchronized <T extends NamedObject> T get(Kind kind, String name) {
        Entry entry = entries.get(kind).get(name);
        if (entry == null) {
            throw new IllegalArgumentException("no " + describe(kind, name) + " is configured; configured: "
                    + entries.get(kind).keySet());
        }
        if (entry.error() != null) {
            throw new NamedObjectUnavailableException(kind, name, entry.osName(), false, entry.error());
        }
        @SuppressWarnings("unchecked")
        T object = (T) open.get(kind).get(name);
        return object;
    }

    /** @param name the configured name @return the shared-memory region */
    public SharedMemory sharedMemory(String name) {
        return get(Kind.SHARED_MEMORY, name);
    }

    /** @param name the configured name @return the event */
    public Event event(String name) {
        return get(Kind.EVENT, name);
    }

    /** @param name the configured name @return the semaphore */
    public Semaphore semaphore(String name) {
        return get(Kind.SEMAPHORE, name);
    }

    /** @param name the configured name @return the mutex */
    public Mutex mutex(String name) {
        return get(Kind.MUTEX, name);
    }

    /**
     * Waits up to {@code timeout} for a configured mutex, counting an abandoned acquisition in the
     * {@code winipc.mutex.abandoned} metric.
     *
     * @param name the mutex's configured name
     * @param timeout how long to wait; null waits as long as it takes
     * @return how the wait ended
     */
    public LockResult acquire(String name, @Nullable Duration timeout) {
        LockResult result = mutex(name).acquire(timeout);
        if (result == LockResult.ACQUIRED_ABANDONED) {
            observer.mutexAbandoned(name);
        }
        return result;
    }

    /**
     * Runs {@code block} holding a configured mutex, which is released afterwards. An abandoned
     * mutex is counted and then used as normal.
     *
     * @param name the mutex's configured name
     * @param timeout how long to wait for it
     * @param block what to run
     * @param <T> what the block returns
     * @return what the block returned
     * @throws io.winipc.WinipcTimeoutException if the mutex stayed taken for {@code timeout}
     */
    public <T extends @Nullable Object> T withMutex(String name, Duration timeout, Supplier<T> block) {
        LockResult result = acquire(name, timeout);
        if (!result.acquired()) {
            throw new io.winipc.WinipcTimeoutException("mutex '" + name + "' stayed taken for " + timeout, 0);
        }
        try {
            return block.get();
        } finally {
            mutex(name).unlock();
        }
    }

    /** @return every configured object, opened or failed, by kind */
    public synchronized List<Entry> entries() {
        List<Entry> all = new ArrayList<>();
        entries.values().forEach(m -> all.addAll(m.values()));
        return Collections.unmodifiableList(all);
    }

    /** @param kind a kind @param name a configured name @return the entry, if configured */
    public synchronized Optional<Entry> entry(Kind kind, String name) {
        return Optional.ofNullable(entries.get(kind).get(name));
    }

    /** @param kind a kind @return whether the object is open */
    public synchronized boolean isOpen(Kind kind, String name) {
        NamedObject object = open.get(kind).get(name);
        if (object == null) {
            return false;
        }
        return object.isOpen();
    }

    /** Closes every object; later calls do nothing. */
    @Override
    public void close() {
        closeAll();
    }

    private synchronized void closeAll() {
        if (closed) {
            return;
        }
        closed = true;
        for (Map<String, NamedObject> byName : open.values()) {
            for (Map.Entry<String, NamedObject> e : byName.entrySet()) {
                try {
                    e.getValue().close();
                } catch (Exception ex) {
                    LOG.warn("closing winipc object '" + e.getKey() + "' failed", ex);
                }
            }
        }
    }

    static String describe(Kind kind, String name) {
        return switch (kind) {
            case SHARED_MEMORY -> "shared memory '" + name + "'";
            case EVENT -> "event '" + name + "'";
            case SEMAPHORE -> "semaphore '" + name + "'";
            case MUTEX -> "mutex '" + name + "'";
        };
    }
}
