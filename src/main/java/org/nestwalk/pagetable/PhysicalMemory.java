package org.nestwalk.pagetable;

import java.util.Arrays;
import org.nestwalk.util.LongIntHashMap;

/**
 * The contents of the page-table frames of one physical address space (guest-physical or system-physical). Only
 * frames that hold page-table nodes have contents; every other 8-byte word reads as zero, which is a not-present
 * entry. Storage grows with the number of table frames, not with the size of the space.
 */
public final class PhysicalMemory {
    private static final int WORDS_PER_FRAME = 512;

    private final String name;
    private final long sizeBytes;
    private final LongIntHashMap slotOfFrame = new LongIntHashMap(1024);
    private long[][] contents = new long[512][];
    private int used;

    public PhysicalMemory(String name, long sizeBytes) {
        this.name = name;
        this.sizeBytes = sizeBytes;
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
        int slot = slotOfFrame.get(address >>> 12, -1);
        return slot < 0 ? 0 : contents[slot][(int) ((address >>> 3) & (WORDS_PER_FRAME - 1))];
    }

    /** Stores the 8-byte word at {@code address}. */
    public void write(long address, long value) {
        check(address);
        long frame = address >>> 12;
        int slot = slotOfFrame.get(frame, -1);
        if (slot < 0) {
            if (value == 0) {
                return;
            }
            if (used == contents.length) {
                contents = Arrays.copyOf(contents, contents.length * 2);
            }
            slot = used++;
            contents[slot] = new long[WORDS_PER_FRAME];
            slotOfFrame.put(frame, slot);
        }
        contents[slot][(int) ((address >>> 3) & (WORDS_PER_FRAME - 1))] = value;
    }

    /** Zeroes the 4 KiB frame at {@code frameAddress} (a new table node, or a frame being reused). */
    public void zeroFrame(long frameAddress) {
        int slot = slotOfFrame.get(frameAddress >>> 12, -1);
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
}
