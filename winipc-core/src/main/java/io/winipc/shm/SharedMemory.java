package io.winipc.shm;

import io.winipc.NamedObject;
import io.winipc.NamedObjectOptions;
import io.winipc.ObjectClosedException;
import io.winipc.Scope;
import io.winipc.internal.MappedRegion;
import io.winipc.internal.MappingLifetime;
import io.winipc.internal.NamedHandle;
import io.winipc.internal.Names;
import io.winipc.internal.NativeSharedMemory;
import io.winipc.internal.OpenMode;
import io.winipc.internal.Platforms;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A named region of memory shared between processes.
 *
 * <pre>{@code
 * // process A
 * try (SharedMemory shm = SharedMemory.create("myapp/buffer", 4096)) {
 *     shm.write(0, "hello".getBytes(StandardCharsets.UTF_8));
 *     ...
 * }
 * // process B
 * try (SharedMemory shm = SharedMemory.open("myapp/buffer")) {
 *     byte[] hello = shm.read(0, 5);
 * }
 * }</pre>
 *
 * <p><b>Lifetime.</b> A region lives while any process holds it open, and disappears when the last
 * holder closes it or dies (a killed process included), as a Windows file mapping does.
 * {@link #create} is always exclusive: it fails with {@link io.winipc.ObjectExistsException} if
 * the name is live.
 *
 * <p><b>Layout.</b> There is no header: offset 0 is the user's byte 0 for every peer, Java or not,
 * and {@link #size()} is the exact size the creator asked for, for openers too (on Windows, where
 * the OS does not record a logical size, an opener sees the page-rounded size of the section).
 *
 * <p><b>Access.</b> Every access is bounds-checked and throws {@link io.winipc.OutOfRangeException}
 * outside the region. Typed accessors ({@link #getInt}, {@link #putLong}, ...) use the platform's
 * native byte order ({@link java.nio.ByteOrder#nativeOrder()}, little-endian on x86 and arm64) and
 * accept any offset; they are plain, non-atomic accesses. The atomic accessors
 * ({@link #getIntVolatile}, {@link #compareAndSetLong}, {@link #getAndAddInt}, ...) have volatile
 * semantics across threads and processes and require an offset aligned to the word size,
 * otherwise they throw {@link IllegalArgumentException}; use them to build lock-free structures
 * shared with other processes. Regions larger than 2 GiB work; a single ByteBuffer view covers at
 * most 2 GiB - 1 bytes.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread. After {@link #close()}
 * every method but {@link #name()}, {@link #size()} and {@link #isOpen()} throws
 * {@link ObjectClosedException}. A call racing with {@link #close()} either completes on the
 * region or throws {@link ObjectClosedException}; it never touches unmapped memory. Views from
 * {@link #slice} and {@link #asByteBuffer()} keep the region mapped while they are reachable (see
 * {@link #slice}), so no view can ever crash the JVM or see memory mapped there later.
 */
public final class SharedMemory implements NamedObject {
    /** The largest size accepted, in bytes (2^47, the user address space of x86-64). */
    public static final long MAX_SIZE = 1L << 47;

    private final long size;
    private final MappedRegion region;
    private final MappingLifetime lifetime;
    private final NamedHandle handle;

    private SharedMemory(String name, NamedObjectOptions options, boolean created, NativeSharedMemory nat) {
        this.size = nat.size();
        MappedRegion r;
        try {
            r = new MappedRegion(nat.address(), nat.size());
        } catch (RuntimeException | Error e) {
            try {
                nat.close();
            } finally {
                nat.unmap();
            }
            throw e;
        }
        this.region = r;
        MappingLifetime mapping = new MappingLifetime(nat::unmap);
        this.lifetime = mapping;
        // The name goes at once; the mapping when no call and no view can reach it any more.
        this.handle = new NamedHandle(this, "shared memory", name, options.scope(), created, () -> {
            mapping.close();
            nat.close();
        });
    }

    /**
     * Creates a region, exclusively, with the default options (LOCAL scope, current user only).
     * Its bytes start as zero.
     *
     * @param name a bare name such as {@code myapp/buffer}
     * @param size the size in bytes, 1 to {@link #MAX_SIZE}
     * @return the mapped region
     * @throws io.winipc.ObjectExistsException if the name is live
     * @throws IllegalArgumentException if the name is invalid or the size is not positive or too large
     */
    public static SharedMemory create(String name, long size) {
        return create(name, size, NamedObjectOptions.defaults());
    }

    /**
     * Creates a region exclusively ({@link NamedObjectOptions#exclusive()} does not matter here).
     *
     * @param name a bare name such as {@code myapp/buffer}
     * @param size the size in bytes, 1 to {@link #MAX_SIZE}
     * @param options scope and access
     * @return the mapped region
     * @throws io.winipc.ObjectExistsException if the name is live
     */
    public static SharedMemory create(String name, long size, NamedObjectOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("size " + size + " exceeds the maximum of " + MAX_SIZE + " bytes");
        }
        // Creating is always exclusive, so a region that create returns is one it created.
        return new SharedMemory(name, options, true, Platforms.get().sharedMemory(name, OpenMode.CREATE_EXCLUSIVE, size, options));
    }

    /**
     * Opens a live region with the default options.
     *
     * @param name the name it was created with
     * @return the mapped region
     * @throws io.winipc.ObjectNotFoundException if no live region has that name
     * @throws io.winipc.WinipcAccessDeniedException if its owner is not one that
     *     {@link NamedObjectOptions#ownerTrust()} trusts (by default: the current user or a system account)
     */
    public static SharedMemory open(String name) {
        return open(name, NamedObjectOptions.defaults());
    }

    /**
     * Opens a live region.
     *
     * @param name the name it was created with
     * @param options scope and access; they must match the creator's scope
     * @return the mapped region
     * @throws io.winipc.ObjectNotFoundException if no live region has that name
     * @throws io.winipc.WinipcAccessDeniedException if its owner is not one that
     *     {@link NamedObjectOptions#ownerTrust()} trusts (by default: the current user or a system account)
     */
    public static SharedMemory open(String name, NamedObjectOptions options) {
        Names.validate(name);
        Objects.requireNonNull(options, "options");
        return new SharedMemory(name, options, false, Platforms.get().sharedMemory(name, OpenMode.OPEN_EXISTING, 0, options));
    }

    /** @return the region's name */
    @Override
    public String name() {
        return handle.name();
    }

    /** @return the size in bytes: exact for the creator and (on Linux) for openers */
    public long size() {
        return size;
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

    /**
     * Begins an access: from here until {@link #exit(int)} the mapping cannot go away, even if
     * another thread closes this object (or the Cleaner does).
     */
    private int enter() {
        int stripe = lifetime.enter();
        if (stripe < 0) {
            handle.ensureOpen();
            throw new ObjectClosedException("shared memory '" + handle.name() + "' is closed");
        }
        return stripe;
    }

    private void exit(int stripe) {
        lifetime.exit(stripe);
        // Until here this object (and so its region) counts as in use, whatever the JIT concludes.
        Reference.reachabilityFence(this);
    }

    /**
     * Copies bytes out of the region.
     *
     * @param offset where to start in the region
     * @param dst the destination array
     * @param off where to start in {@code dst}
     * @param len how many bytes
     * @throws io.winipc.OutOfRangeException if {@code [offset, offset+len)} is outside the region
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not fit {@code dst}
     */
    public void read(long offset, byte[] dst, int off, int len) {
        int stripe = enter();
        try {
            region.read(offset, dst, off, len);
        } finally {
            exit(stripe);
        }
    }

    /**
     * @param offset where to start in the region
     * @param length how many bytes, not negative
     * @return a new array with a copy of those bytes
     */
    public byte[] read(long offset, int length) {
        int stripe = enter();
        try {
            region.checkRange(offset, length);
            byte[] b = new byte[length];
            region.read(offset, b, 0, length);
            return b;
        } finally {
            exit(stripe);
        }
    }

    /**
     * Fills the remaining bytes of {@code dst} from the region, advancing its position.
     *
     * @param offset where to start in the region
     * @param dst the destination
     */
    public void read(long offset, ByteBuffer dst) {
        int stripe = enter();
        try {
            region.read(offset, dst);
        } finally {
            exit(stripe);
        }
    }

    /**
     * Copies bytes into the region.
     *
     * @param offset where to start in the region
     * @param src the source array
     * @param off where to start in {@code src}
     * @param len how many bytes
     */
    public void write(long offset, byte[] src, int off, int len) {
        int stripe = enter();
        try {
            region.write(offset, src, off, len);
        } finally {
            exit(stripe);
        }
    }

    /**
     * Copies all of {@code src} into the region.
     *
     * @param offset where to start in the region
     * @param src the bytes
     */
    public void write(long offset, byte[] src) {
        int stripe = enter();
        try {
            region.write(offset, src, 0, src.length);
        } finally {
            exit(stripe);
        }
    }

    /**
     * Copies the remaining bytes of {@code src} into the region, advancing its position.
     *
     * @param offset where to start in the region
     * @param src the bytes
     */
    public void write(long offset, ByteBuffer src) {
        int stripe = enter();
        try {
            region.write(offset, src);
        } finally {
            exit(stripe);
        }
    }

    /**
     * A direct ByteBuffer over part of the region, in native byte order: writes through it are
     * seen by every process. Its own bounds keep it inside the region.
     *
     * <p>The view, and every buffer derived from it ({@code slice()}, {@code duplicate()},
     * {@code asIntBuffer()}, ...), keeps the region mapped while it is reachable, even after
     * {@link #close()}: like a {@link java.nio.MappedByteBuffer}, it never reads or writes
     * anything but this region. The mapping (and on Windows the name, which stays in use while
     * mapped) goes once the region is closed and its views have been garbage collected.
     *
     * @param offset where the view starts
     * @param length its capacity, up to {@code Integer.MAX_VALUE}
     * @return the view, position 0, limit {@code length}
     */
    public ByteBuffer slice(long offset, int length) {
        int stripe = enter();
        try {
            return lifetime.track(region.slice(offset, length));
        } finally {
            exit(stripe);
        }
    }

    /**
     * @return a view of the whole region, as {@link #slice(long, int)}
     * @throws io.winipc.OutOfRangeException if the region is 2 GiB or larger; use {@link #slice} then
     */
    public ByteBuffer asByteBuffer() {
        if (size > Integer.MAX_VALUE) {
            throw new io.winipc.OutOfRangeException("a region of " + size + " bytes does not fit one ByteBuffer; use slice()");
        }
        return slice(0, (int) size);
    }

    /** @return the int at {@code offset}, native byte order, any alignment, plain read */
    public int getInt(long offset) {
        int stripe = enter();
        try {
            return region.getInt(offset);
        } finally {
            exit(stripe);
        }
    }

    /** Stores an int at {@code offset}, native byte order, any alignment, plain write. */
    public void putInt(long offset, int value) {
        int stripe = enter();
        try {
            region.putInt(offset, value);
        } finally {
            exit(stripe);
        }
    }

    /** @return the long at {@code offset}, native byte order, any alignment, plain read */
    public long getLong(long offset) {
        int stripe = enter();
        try {
            return region.getLong(offset);
        } finally {
            exit(stripe);
        }
    }

    /** Stores a long at {@code offset}, native byte order, any alignment, plain write. */
    public void putLong(long offset, long value) {
        int stripe = enter();
        try {
            region.putLong(offset, value);
        } finally {
            exit(stripe);
        }
    }

    /** @return the int at a 4-byte aligned {@code offset}, with volatile semantics */
    public int getIntVolatile(long offset) {
        int stripe = enter();
        try {
            return region.getIntVolatile(offset);
        } finally {
            exit(stripe);
        }
    }

    /** Stores an int at a 4-byte aligned {@code offset}, with volatile semantics. */
    public void setIntVolatile(long offset, int value) {
        int stripe = enter();
        try {
            region.setIntVolatile(offset, value);
        } finally {
            exit(stripe);
        }
    }

    /** @return the long at an 8-byte aligned {@code offset}, with volatile semantics */
    public long getLongVolatile(long offset) {
        int stripe = enter();
        try {
            return region.getLongVolatile(offset);
        } finally {
            exit(stripe);
        }
    }

    /** Stores a long at an 8-byte aligned {@code offset}, with volatile semantics. */
    public void setLongVolatile(long offset, long value) {
        int stripe = enter();
        try {
            region.setLongVolatile(offset, value);
        } finally {
            exit(stripe);
        }
    }

    /**
     * Atomically sets the int at a 4-byte aligned {@code offset} to {@code value} if it equals {@code expected}.
     *
     * @return whether it was set
     */
    public boolean compareAndSetInt(long offset, int expected, int value) {
        int stripe = enter();
        try {
            return region.compareAndSetInt(offset, expected, value);
        } finally {
            exit(stripe);
        }
    }

    /**
     * Atomically sets the long at an 8-byte aligned {@code offset} to {@code value} if it equals {@code expected}.
     *
     * @return whether it was set
     */
    public boolean compareAndSetLong(long offset, long expected, long value) {
        int stripe = enter();
        try {
            return region.compareAndSetLong(offset, expected, value);
        } finally {
            exit(stripe);
        }
    }

    /**
     * Atomically adds {@code delta} to the int at a 4-byte aligned {@code offset}.
     *
     * @return the value before the addition
     */
    public int getAndAddInt(long offset, int delta) {
        int stripe = enter();
        try {
            return region.getAndAddInt(offset, delta);
        } finally {
            exit(stripe);
        }
    }

    /**
     * Atomically adds {@code delta} to the long at an 8-byte aligned {@code offset}.
     *
     * @return the value before the addition
     */
    public long getAndAddLong(long offset, long delta) {
        int stripe = enter();
        try {
            return region.getAndAddLong(offset, delta);
        } finally {
            exit(stripe);
        }
    }

    /**
     * Lets go of the region; it disappears once every holder has. The mapping goes at once unless
     * another thread is in a call on this object (then when that call returns) or a view from
     * {@link #slice} or {@link #asByteBuffer()} is still reachable (then once it is collected).
     * Idempotent and thread-safe.
     */
    @Override
    public void close() {
        handle.close();
    }

    /** @return the base address of the mapping in this process, for tests of its lifetime */
    long mappedAddress() {
        return region.address();
    }

    /** @return whether the mapping has been unmapped, for tests of its lifetime */
    boolean isUnmapped() {
        return lifetime.isReleased();
    }

    @Override
    public String toString() {
        return handle.describe("SharedMemory", ", " + size + " bytes");
    }
}
