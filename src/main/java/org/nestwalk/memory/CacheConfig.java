package org.nestwalk.memory;

/**
 * One level of the data cache hierarchy: set-associative, LRU, 64-byte lines, shared by data and page-table entries.
 *
 * @param name      L1D, L2 or LLC
 * @param sizeBytes capacity
 * @param ways      associativity
 * @param latency   load-to-use cycles of a hit at this level
 */
public record CacheConfig(String name, long sizeBytes, int ways, int latency) {
    /** Bytes per line, fixed by DESIGN.md. */
    public static final int LINE_BYTES = 64;

    public CacheConfig {
        if (sizeBytes <= 0 || ways <= 0 || latency < 0) {
            throw new IllegalArgumentException(name + ": size and ways must be positive, latency >= 0");
        }
        long lines = sizeBytes / LINE_BYTES;
        if (sizeBytes % LINE_BYTES != 0 || lines % ways != 0 || Long.bitCount(lines / ways) != 1) {
            throw new IllegalArgumentException(name + ": " + sizeBytes + " bytes in " + ways
                    + "-way sets of 64-byte lines does not give a power-of-two number of sets");
        }
    }

    public int lines() {
        return (int) (sizeBytes / LINE_BYTES);
    }

    public int sets() {
        return lines() / ways;
    }
}
