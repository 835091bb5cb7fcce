package io.winipc.spring.autoconfigure;

import io.winipc.spring.TrustProperties;
import io.winipc.spring.objects.NamedObjectSpecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the winipc starter, under {@code winipc.*}. Binding is strict: a key under
 * {@code winipc.} that names no setting (a typo such as {@code winipc.pipe.concurency}, also inside
 * a named object's entry) fails start-up with a message naming the key.
 */
@ConfigurationProperties(prefix = "winipc", ignoreUnknownFields = false)
public class WinipcProperties {

    /** Whether the winipc auto-configuration is active at all. */
    private boolean enabled = true;

    /**
     * Whether the application fails to start when winipc cannot work: the OS has no winipc
     * backend, or an endpoint cannot listen. When false, the failure is logged and reported as
     * DOWN by the health endpoint while the rest of the application runs.
     */
    private boolean failFast = false;

    /**
     * Put in front of every name winipc uses: endpoint pipes, the template's targets and named
     * objects. Gives each application instance (or test context) names of its own, as a random
     * port does for a web server. Empty by default.
     */
    private String namePrefix = "";

    private final Pipe pipe = new Pipe();

    private final Client client = new Client();

    /** Shared-memory regions to create or open at start-up, by name. */
    private final Map<String, NamedObjectSpecs.SharedMemorySpec> sharedMemory = new LinkedHashMap<>();

    /** Events to create or open at start-up, by name. */
    private final Map<String, NamedObjectSpecs.EventSpec> events = new LinkedHashMap<>();

    /** Semaphores to create or open at start-up, by name. */
    private final Map<String, NamedObjectSpecs.SemaphoreSpec> semaphores = new LinkedHashMap<>();

    /** Mutexes to create or open at start-up, by name. */
    private final Map<String, NamedObjectSpecs.MutexSpec> mutexes = new LinkedHashMap<>();

    private final Access access = new Access();

    private final NamedObjects objects = new NamedObjects();

    public Access getAccess() {
        return access;
    }

    public NamedObjects getObjects() {
        return objects;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isFailFast() {
        return failFast;
    }

    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    public String getNamePrefix() {
        return namePrefix;
    }

    public void setNamePrefix(String namePrefix) {
        this.namePrefix = namePrefix == null ? "" : namePrefix;
    }

    public Pipe getPipe() {
        return pipe;
    }

    public Client getClient() {
        return client;
    }

    public Map<String, NamedObjectSpecs.SharedMemorySpec> getSharedMemory() {
        return sharedMemory;
    }

    public Map<String, NamedObjectSpecs.EventSpec> getEvents() {
        return events;
    }

    public Map<String, NamedObjectSpecs.SemaphoreSpec> getSemaphores() {
        return semaphores;
    }

    public Map<String, NamedObjectSpecs.MutexSpec> getMutexes() {
        return mutexes;
    }

    /** Defaults for {@code @PipeEndpoint} servers. */
    public static class Pipe {

        /**
         * How many connections an endpoint serves at once (its pipe's maximum instances, 1 to
         * 254), unless the endpoint sets its own.
         */
        private int concurrency = 16;

        /**
         * The largest message an endpoint accepts from a client, unless the endpoint sets its
         * own. A larger message is refused and its connection closed.
         */
        private DataSize maxMessageSize = DataSize.ofMegabytes(16);

        /**
         * How long stopping waits for running handlers (of all endpoints together, on shutdown)
         * before interrupting them and closing their connections.
         */
        private Duration drainTimeout = Duration.ofSeconds(5);

        /** Whether endpoints start with the application context, unless an endpoint says otherwise. */
        private boolean autoStartup = true;

        /**
         * Whether endpoints record a Micrometer observation per handled message (per connection for
         * streaming endpoints), when the application has an ObservationRegistry bean.
         */
        private boolean observationEnabled = true;

        public boolean isObservationEnabled() {
            return observationEnabled;
        }

        public void setObservationEnabled(boolean observationEnabled) {
            this.observationEnabled = observationEnabled;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public DataSize getMaxMessageSize() {
            return maxMessageSize;
        }

        public void setMaxMessageSize(DataSize maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
        }

        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        public boolean isAutoStartup() {
            return autoStartup;
        }

        public void setAutoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
        }

        /** Settings of single endpoints, by endpoint id. */
        private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

        public Map<String, Endpoint> getEndpoints() {
            return endpoints;
        }
    }

    /** Settings of one endpoint, under {@code winipc.pipe.endpoints.<id>}. */
    public static class Endpoint {

        /**
         * Who besides the current user may connect (uid:N, gid:N, Windows SIDs, aliases or account
         * names); empty for winipc.access.allow. @PipeEndpoint(allow) wins over this.
         */
        private List<String> allow = new ArrayList<>();

        public List<String> getAllow() {
            return allow;
        }

        public void setAllow(List<String> allow) {
            this.allow = allow;
        }
    }

    /** Settings of the {@code PipeTemplate} client. */
    public static class Client {

        /** How long connecting keeps retrying while the server is absent or busy. */
        private Duration connectTimeout = Duration.ofSeconds(5);

        /** How often connecting tries again while the server is absent or busy. */
        private Duration retryInterval = Duration.ofMillis(100);

        /** How long a request waits for its reply. */
        private Duration readTimeout = Duration.ofSeconds(30);

        /** The largest reply the client accepts. */
        private DataSize maxMessageSize = DataSize.ofMegabytes(16);

        /** Where the names the client connects to live: LOCAL or GLOBAL. */
        private io.winipc.Scope scope = io.winipc.Scope.LOCAL;

        /**
         * Whether the PipeTemplate records a Micrometer observation per request and send, when the
         * application has an ObservationRegistry bean.
         */
        private boolean observationEnabled = true;

        public boolean isObservationEnabled() {
            return observationEnabled;
        }

        public void setObservationEnabled(boolean observationEnabled) {
            this.observationEnabled = observationEnabled;
        }

        /**
         * Whom the client accepts as the server: by default the current user and the OS's
         * privileged accounts; a server of any other account is refused before anything is sent.
         */
        @NestedConfigurationProperty
        private final TrustProperties serverTrust = new TrustProperties();

        public TrustProperties getServerTrust() {
            return serverTrust;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getRetryInterval() {
            return retryInterval;
        }

        public void setRetryInterval(Duration retryInterval) {
            this.retryInterval = retryInterval;
        }

        public Duration getReadTimeout() {
            return readTimeout;
        }

        public void setReadTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
        }

        public DataSize getMaxMessageSize() {
            return maxMessageSize;
        }

        public void setMaxMessageSize(DataSize maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
        }

        public io.winipc.Scope getScope() {
            return scope;
        }

        public void setScope(io.winipc.Scope scope) {
            this.scope = scope;
        }
    }

    /** Who besides the current user may use every endpoint and named object that says nothing itself. */
    public static class Access {

        /**
         * Access entries: uid:N and gid:N (Linux), Windows SIDs (S-1-...), SDDL aliases (AU, IU, BU,
         * SY, BA) and account names (DOMAIN\\user, .\\user), or current-user. Empty: the current
         * user alone.
         */
        private List<String> allow = new ArrayList<>();

        public List<String> getAllow() {
            return allow;
        }

        public void setAllow(List<String> allow) {
            this.allow = allow;
        }
    }

    /** Defaults for every named object (shared memory, events, semaphores, mutexes) that says nothing itself. */
    public static class NamedObjects {

        /**
         * Whose existing object the starter opens: by default the current user's and the OS's
         * privileged accounts'; an object of any other account is refused. Name the account of a
         * service that creates the objects here; an object's own owner-trust replaces this.
         */
        @NestedConfigurationProperty
        private final TrustProperties ownerTrust = new TrustProperties();

        public TrustProperties getOwnerTrust() {
            return ownerTrust;
        }
    }
}
