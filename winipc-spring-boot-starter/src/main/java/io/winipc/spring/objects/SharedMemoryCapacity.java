package io.winipc.spring.objects;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How much memory named shared-memory regions can still take on this machine, so that a region
 * larger than that is reported at start-up rather than failing when it is first touched.
 *
 * <ul>
 * <li>Linux: regions are files in {@code /dev/shm}, created sparse (a size beyond the file system's
 * free space is accepted, and a page touched beyond it raises SIGBUS). The free space is the file
 * system's {@code statvfs} figure, which {@link FileStore#getUsableSpace()} returns.</li>
 * <li>Windows: regions are backed by the paging file and charged to the commit limit when
 * created; what is left is the available commit charge, which the JDK's
 * {@code com.sun.management.OperatingSystemMXBean#getFreeSwapSpaceSize()} returns there.</li>
 * </ul>
 *
 * @param where what the figures describe, for messages
 * @param free bytes still available
 * @param total bytes in all
 */
public record SharedMemoryCapacity(String where, long free, long total) {

    /** Where Linux regions live. */
    static final Path LINUX_SHM = Path.of("/dev/shm");

    /** @return this machine's capacity, or empty when it cannot be read or the OS has no backend */
    public static Optional<SharedMemoryCapacity> ofThisMachine() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return ofFileStore(LINUX_SHM);
        }
        if (os.contains("windows") && ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean bean) {
            return Optional.of(new SharedMemoryCapacity("the commit limit", bean.getFreeSwapSpaceSize(),
                    bean.getTotalSwapSpaceSize()));
        }
        return Optional.empty();
    }

    static Optional<SharedMemoryCapacity> ofFileStore(Path directory) {
        try {
            FileStore store = Files.getFileStore(directory);
            return Optional.of(new SharedMemoryCapacity(directory.toString(), store.getUsableSpace(), store.getTotalSpace()));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * @param bytes a size
     * @return the size for people, such as {@code 4 KB} or {@code 23.5 GB} (binary units)
     */
    public static String format(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 || value >= 100 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%.0f %s", value, units[unit])
                : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
