package org.nestwalk.pagetable;

import java.util.Arrays;
import org.nestwalk.random.KeyedPermutation;
import org.nestwalk.random.RandomStream;

/**
 * Hands out the frames of one physical address space: 4 KiB frames and 2 MiB-aligned 2 MiB frames. The space is
 * carved into 2 MiB regions taken in the order the {@link FramePlacement} gives; 4 KiB frames are taken
 * consecutively inside the current region. Freed frames are reused first. Memory use is independent of the size of
 * the space: the scattered order is a {@link KeyedPermutation}, not a table.
 */
public final class FrameAllocator {
    private static final int FRAMES_PER_REGION = 512;

    private final String space;
    private final long sizeBytes;
    private long regions;
    private KeyedPermutation order;
    private final FramePlacement placement;
    private final RandomStream random;
    private long reservedTop;
    private long nextRegion;
    private long currentRegion = -1;
    private int nextFrameInRegion = FRAMES_PER_REGION;
    /** The order of the current region's 4 KiB frames: ascending unless {@link FramePlacement#SHUFFLED}. */
    private KeyedPermutation frameOrder = KeyedPermutation.identity(FRAMES_PER_REGION);
    private long[] free4k = new long[16];
    private int free4kCount;
    private long[] free2m = new long[16];
    private int free2mCount;
    private long allocatedBytes;

    /**
     * @param space     name of the address space, for error messages
     * @param sizeBytes size of the space, a multiple of 2 MiB
     * @param placement where regions come from
     * @param random    the stream that keys the scattered order
     */
    public FrameAllocator(String space, long sizeBytes, FramePlacement placement, RandomStream random) {
        if (sizeBytes <= 0 || sizeBytes % PageSize.SIZE_2M.bytes() != 0) {
            throw new IllegalArgumentException(space + " size must be a positive multiple of 2 MiB: " + sizeBytes);
        }
        this.space = space;
        this.sizeBytes = sizeBytes;
        this.regions = sizeBytes >>> 21;
        this.placement = placement;
        this.random = random;
        this.order = orderOf(regions);
    }

    private KeyedPermutation orderOf(long n) {
        return placement == FramePlacement.SEQUENTIAL ? KeyedPermutation.identity(n)
                : new KeyedPermutation(n, random);
    }

    /**
     * Takes a contiguous, 2 MiB-aligned block of {@code bytes} (rounded up to 2 MiB) from the top of the space, for
     * a table that must be contiguous (the flat nested table, the ISPT). Only before the first allocation.
     *
     * @return the block's address
     */
    public long reserveContiguous(long bytes) {
        if (nextRegion > 0 || free4kCount > 0 || free2mCount > 0) {
            throw new IllegalStateException("contiguous blocks must be reserved before anything is allocated");
        }
        long n = (bytes + PageSize.SIZE_2M.bytes() - 1) >>> 21;
        if (n >= regions) {
            throw new OutOfFramesException(String.format("%s memory (%d MiB) cannot hold a contiguous table of %d MiB",
                    space, sizeBytes >>> 20, bytes >>> 20));
        }
        regions -= n;
        reservedTop += n << 21;
        order = orderOf(regions);
        return regions << 21;
    }

    /** A free frame of the given size, 4 KiB or 2 MiB; its address is aligned to its size. */
    public long allocate(PageSize size) {
        long address = switch (size) {
            case SIZE_4K -> allocate4k();
            case SIZE_2M -> allocate2m();
            default -> throw new IllegalArgumentException("frames of " + size + " are not supported");
        };
        allocatedBytes += size.bytes();
        return address;
    }

    /** Returns a frame obtained from {@link #allocate}. */
    public void free(long address, PageSize size) {
        if (size == PageSize.SIZE_4K) {
            free4k = push(free4k, free4kCount++, address);
        } else {
            free2m = push(free2m, free2mCount++, address);
        }
        allocatedBytes -= size.bytes();
    }

    public long allocatedBytes() {
        return allocatedBytes;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    private long allocate4k() {
        if (free4kCount > 0) {
            return free4k[--free4kCount];
        }
        if (nextFrameInRegion == FRAMES_PER_REGION) {
            currentRegion = takeRegion(PageSize.SIZE_4K);
            nextFrameInRegion = 0;
            if (placement == FramePlacement.SHUFFLED) {
                // Drawn only for this placement, so the others consume the stream exactly as before.
                frameOrder = new KeyedPermutation(FRAMES_PER_REGION, random);
            }
        }
        return (currentRegion << 21) + (frameOrder.at(nextFrameInRegion++) << 12);
    }

    private long allocate2m() {
        if (free2mCount > 0) {
            return free2m[--free2mCount];
        }
        return takeRegion(PageSize.SIZE_2M) << 21;
    }

    private long takeRegion(PageSize forSize) {
        if (nextRegion == regions) {
            throw new OutOfFramesException(String.format(
                    "%s memory (%d MiB) is exhausted: no free %s frame left; give the machine more memory"
                            + " (memory.guest / memory.host) or the workload a smaller footprint",
                    space, sizeBytes >>> 20, forSize));
        }
        return order.at(nextRegion++);
    }

    private static long[] push(long[] stack, int index, long value) {
        long[] s = index == stack.length ? Arrays.copyOf(stack, stack.length * 2) : stack;
        s[index] = value;
        return s;
    }
}
