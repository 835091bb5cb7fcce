package io.winipc.spring.objects;

import io.winipc.spring.objects.NamedObjectRegistry.Kind;

/**
 * A configured named object ({@code winipc.shared-memory.<key>}, {@code winipc.events.<key>}, ...)
 * could not be created or opened at start-up, and something needed it: a bean that injects it, a
 * {@link NamedObjectRegistry} lookup, or start-up itself with {@code winipc.fail-fast=true}. Its
 * cause is the core's exception (a bad name or size, a name held by another process, ...).
 */
public final class NamedObjectUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final Kind kind;
    private final String key;
    private final String osName;
    private final boolean failFast;

    NamedObjectUnavailableException(Kind kind, String key, String osName, boolean failFast, Throwable cause) {
        super("winipc " + NamedObjectRegistry.describe(kind, key) + " ('" + osName + "') could not be obtained"
                + (failFast ? " (winipc.fail-fast=true): " : " at start-up: ") + cause.getMessage(), cause);
        this.kind = kind;
        this.key = key;
        this.osName = osName;
        this.failFast = failFast;
    }

    /** @return the object's kind */
    public Kind getKind() {
        return kind;
    }

    /** @return the object's key in the configuration, such as {@code board} */
    public String getKey() {
        return key;
    }

    /** @return the OS name it was to have, with {@code winipc.name-prefix} */
    public String getOsName() {
        return osName;
    }

    /** @return the configuration property that holds the object's entry, such as {@code winipc.shared-memory.board} */
    public String getProperty() {
        String group = switch (kind) {
            case SHARED_MEMORY -> "shared-memory";
            case EVENT -> "events";
            case SEMAPHORE -> "semaphores";
            case MUTEX -> "mutexes";
        };
        return "winipc." + group + "." + key;
    }

    /** @return whether it was thrown at start-up because {@code winipc.fail-fast} is true */
    public boolean isFailFast() {
        return failFast;
    }
}
