package org.nestwalk.memory;

/**
 * The DRAM behind the memory controller: independent banks, each with one open row (open-page policy).
 *
 * @param banks          number of banks, a power of two
 * @param rowHitLatency  cycles to serve a request to the open row
 * @param rowMissLatency cycles to serve a request to another row (precharge + activate + read)
 * @param rowBytes       bytes per row per bank, a power of two; consecutive rows of addresses rotate over banks
 * @param scheduling     order in which a bank serves its queue
 * @param rowHitCap      under FR-FCFS, how many row hits a bank may serve ahead of its oldest request before it
 *                       serves that one (FR-FCFS with a cap); 0: no bound
 */
public record DramConfig(int banks, int rowHitLatency, int rowMissLatency, long rowBytes, DramScheduling scheduling,
                         int rowHitCap) {
    /** Without a cap on row hits served ahead of older requests. */
    public DramConfig(int banks, int rowHitLatency, int rowMissLatency, long rowBytes, DramScheduling scheduling) {
        this(banks, rowHitLatency, rowMissLatency, rowBytes, scheduling, 0);
    }

    public DramConfig {
        if (rowHitCap < 0) {
            throw new IllegalArgumentException("the DRAM row-hit cap must be at least 0: " + rowHitCap);
        }
        if (banks <= 0 || Integer.bitCount(banks) != 1) {
            throw new IllegalArgumentException("DRAM banks must be a power of two: " + banks);
        }
        if (rowBytes < CacheConfig.LINE_BYTES || Long.bitCount(rowBytes) != 1) {
            throw new IllegalArgumentException("DRAM row size must be a power of two >= 64 bytes: " + rowBytes);
        }
        if (rowHitLatency <= 0 || rowMissLatency <= 0) {
            throw new IllegalArgumentException("DRAM latencies must be positive");
        }
    }
}
