package org.nestwalk.pagetable;

import java.util.Arrays;

/**
 * The contents of the page-table frames of one physical address space (guest-physical or system-physical). Only
 * frames that hold page-table nodes have contents; every other 8-byte word reads as zero, which is a not-present
 * entry. Storage grows with the number of table frames, not with the size of the space.
 */
public final class PhysicalMemory {
    private static final int WORDS_PER_FRAME = 512;
    private static final long EMPTY = -1;

    private final String name;
    private final long sizeBytes;
    private long[] frameKeys;
    private int[] frameSlots;
    private long[][] contents;
    private int used;

    public PhysicalMemory(String name, long sizeBytes) {
        this.name = name;
        this.sizeBytes = sizeBytes;
        this.frameKeys = new long[1024];
        this.frameSlots = new int[1024];
        this.contents = new long[512][];
        Arrays.fill(frameKeys, EMPTY);
    }

    /** "guest-physical" or "system-physical": used in error messages. */
    public String name() {
        return name;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** The 8-byte word at {@code address}. */
    public long read(long address) {
        check(address);
        int slot = find(address >>> 12);
        return slot < 0 ? 0 : contents[slot][(int) ((address >>> 3) & (WORDS_PER_FRAME - 1))];
    }

    /** Stores the 8-byte word at {@code address}. */
    public void write(long address, long value) {
        check(address);
        long frame = address >>> 12;
        int slot = find(frame);
        if (slot < 0) {
            if (value == 0) {
                return;
            }
            slot = add(frame);
        }
        contents[slot][(int) ((address >>> 3) & (WORDS_PER_FRAME - 1))] = value;
    }

    /** Zeroes the 4 KiB frame at {@code frameAddress} (a new table node, or a frame being reused). */
    public void zeroFrame(long frameAddress) {
        int slot = find(frameAddress >>> 12);
        if (slot >= 0) {
            Arrays.fill(contents[slot], 0);
        }
    }

    /** Number of frames that have ever held a non-zero word. */
    public int framesWithContent() {
        return used;
    }

    private void check(long address) {
        if ((address & 7) != 0 || address < 0 || address >= sizeBytes) {
            throw new IllegalArgumentException(String.format(
                    "%s address 0x%x is not an aligned 8-byte word inside the %d-byte space", name, address,
                    sizeBytes));
        }
    }

    private int find(long frame) {
        int mask = frameKeys.length - 1;
        int i = hash(frame) & mask;
        while (true) {
            long k = frameKeys[i];
            if (k == frame) {
                return frameSlots[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private int add(long frame) {
        if ((used + 1) * 2 > frameKeys.length) {
            grow();
        }
        if (used == contents.length) {
            contents = Arrays.copyOf(contents, contents.length * 2);
        }
        int slot = used++;
        contents[slot] = new long[WORDS_PER_FRAME];
        insert(frame, slot);
        return slot;
    }

    private void insert(long frame, int slot) {
        int mask = frameKeys.length - 1;
        int i = hash(frame) & mask;
        while (frameKeys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        frameKeys[i] = frame;
        frameSlots[i] = slot;
    }

    private void grow() {
        long[] oldKeys = frameKeys;
        int[] oldSlots = frameSlots;
        frameKeys = new long[oldKeys.length * 2];
        frameSlots = new int[oldKeys.length * 2];
        Arrays.fill(frameKeys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                insert(oldKeys[i], oldSlots[i]);
            }
        }
    }

    private static int hash(long frame) {
        long h = frame * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
