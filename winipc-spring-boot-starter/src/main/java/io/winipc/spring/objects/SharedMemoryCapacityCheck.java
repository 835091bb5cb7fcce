package io.winipc.spring.objects;

import io.winipc.spring.objects.NamedObjectSpecs.SharedMemorySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Compares the shared-memory regions configured for creation under
 * {@code winipc.shared-memory.*} with what this machine can hold ({@link SharedMemoryCapacity}),
 * before the {@link NamedObjectRegistry} creates them: when they need more, start-up logs a
 * warning with the figures, or fails with them when {@code winipc.fail-fast=true}.
 */
public class SharedMemoryCapacityCheck implements InitializingBean {
    private static final Log LOG = LogFactory.getLog(SharedMemoryCapacityCheck.class);

    private final Map<String, SharedMemorySpec> regions;
    private final boolean failFast;
    private final Supplier<Optional<SharedMemoryCapacity>> capacity;

    /**
     * @param regions the configured regions by name
     * @param failFast whether too little room fails start-up
     */
    public SharedMemoryCapacityCheck(Map<String, SharedMemorySpec> regions, boolean failFast) {
        this(regions, failFast, SharedMemoryCapacity::ofThisMachine);
    }

    SharedMemoryCapacityCheck(Map<String, SharedMemorySpec> regions, boolean failFast,
            Supplier<Optional<SharedMemoryCapacity>> capacity) {
        this.regions = new LinkedHashMap<>(regions);
        this.failFast = failFast;
        this.capacity = capacity;
    }

    @Override
    public void afterPropertiesSet() {
        String problem = problem();
        if (problem == null) {
            return;
        }
        if (failFast) {
            throw new IllegalStateException(problem + " (winipc.fail-fast=true)");
        }
        LOG.warn(problem + "; the regions are created, but touching pages beyond what is free fails"
                + " (set winipc.fail-fast=true to fail start-up instead)");
    }

    /** @return why the configured regions do not fit, or null if they do or the capacity is unknown */
    String problem() {
        long requested = 0;
        List<String> sizes = new ArrayList<>();
        for (Map.Entry<String, SharedMemorySpec> region : regions.entrySet()) {
            SharedMemorySpec spec = region.getValue();
            if (spec.getOpen() != OpenPolicy.OPEN && spec.getSize() != null) {
                requested += spec.getSize().toBytes();
                sizes.add(region.getKey() + " " + SharedMemoryCapacity.format(spec.getSize().toBytes()));
            }
        }
        if (requested == 0) {
            return null;
        }
        Optional<SharedMemoryCapacity> known = capacity.get();
        if (known.isEmpty() || requested <= known.get().free()) {
            return null;
        }
        SharedMemoryCapacity room = known.get();
        return "winipc shared memory needs " + SharedMemoryCapacity.format(requested) + " (" + String.join(", ", sizes)
                + ") but " + room.where() + " has " + SharedMemoryCapacity.format(room.free()) + " free of "
                + SharedMemoryCapacity.format(room.total());
    }
}
