package org.nestwalk.cli;

import java.nio.file.Path;
import java.util.Arrays;
import org.nestwalk.config.MachineConfig;
import org.nestwalk.memory.Cache;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.util.LongIntHashMap;

/**
 * The floor under a trace's replay: what the work that every model of it must do costs in this code, without the
 * core's timing model, the guest, the walker or any event. Three loops over the trace's data references, each timed
 * on its own: decoding the records ({@link TraceReader#nextReferences}); decoding and looking each reference up in
 * the dTLB ({@link DataTlb}, a miss filled at once from frames handed out in first-touch order, no walk); and that
 * plus the data caches ({@link CacheHierarchy}). They use the simulator's own classes and the default machine's
 * sizes, so the difference between the last loop and a whole native replay is what the rest of the model costs,
 * and the last loop is what no change outside these classes can make faster.
 */
final class LookupFloor {
    /** What the loops do. */
    enum Level {
        DECODE("decode"), TLB("decode + dTLB"), CACHES("decode + dTLB + caches");

        final String label;

        Level(String label) {
            this.label = label;
        }
    }

    private static final int BATCH = 4096;

    private final long[] addresses = new long[BATCH];
    private final int[] gaps = new int[BATCH];
    private final byte[] flags = new byte[BATCH];
    private final MachineConfig machine = MachineConfig.defaults();

    /** What one loop gave: its references, nanoseconds, and a checksum that keeps the work from being optimized away. */
    record Pass(long references, long nanos, long checksum) {
        double nanosPerReference() {
            return (double) nanos / Math.max(1, references);
        }
    }

    /** One loop at {@code level} over the first {@code max} data references of {@code trace}. */
    Pass pass(Path trace, Level level, long max) {
        DataTlb tlb = new DataTlb(machine.l1Tlb(), machine.l2Tlb());
        CacheHierarchy caches = new CacheHierarchy(new Cache(machine.l1d()), new Cache(machine.l2()),
                new Cache(machine.llc()));
        LongIntHashMap frames = new LongIntHashMap(1 << 16);
        long checksum = 0;
        long n = 0;
        long t0 = System.nanoTime();
        try (TraceReader r = TraceReader.open(trace)) {
            while (n < max) {
                int k = r.nextReferences(addresses, gaps, flags, 0, (int) Math.min(BATCH, max - n), (byte) 1);
                if (k == 0) {
                    int kind = r.next();
                    if (kind == TraceReader.END) {
                        break;
                    }
                    if (kind != TraceReader.REFERENCE) {
                        continue;
                    }
                    addresses[0] = r.address();
                    flags[0] = (byte) (r.store() ? 1 : 0);
                    k = 1;
                }
                n += k;
                if (level == Level.DECODE) {
                    for (int i = 0; i < k; i++) {
                        checksum += addresses[i] ^ gaps[i];
                    }
                    continue;
                }
                for (int i = 0; i < k; i++) {
                    long va = addresses[i];
                    long pa = tlb.translate(va, 0, flags[i] != 0);
                    if (pa == DataTlb.MISS) {
                        long vpn = va >>> 12;
                        int frame = frames.get(vpn, -1);
                        if (frame < 0) {
                            frame = frames.size();
                            frames.put(vpn, frame);
                        }
                        tlb.fill(va, 0, (long) frame << 12, PageSize.SIZE_4K, true);
                        pa = (long) frame << 12 | (va & 0xFFF);
                    }
                    checksum += level == Level.CACHES ? caches.access(pa).ordinal() : pa;
                }
            }
        }
        return new Pass(n, System.nanoTime() - t0, checksum);
    }

    /** What {@link #measure} gave: the references each loop read, and per level {first, warm median} in ns each. */
    record Floor(long references, double[][] nanosPerReference) {
    }

    /**
     * The three loops over {@code trace}, each run {@code 1 + repeat} times in turn, the whole floor first: its first
     * round is what a fresh JVM (one replay per process, as {@code compare.sh} runs them) pays, the median of the
     * others what a warm one does (the first rounds of the smaller loops run on code the larger one warmed).
     */
    Floor measure(Path trace, long max, int repeat) {
        Level[] levels = Level.values();
        double[][] ns = new double[levels.length][repeat + 1];
        long references = 0;
        for (int round = 0; round <= repeat; round++) {
            // The whole floor first: its first round is then the first code this process runs on a trace.
            for (int l = levels.length - 1; l >= 0; l--) {
                Pass p = pass(trace, levels[l], max);
                ns[l][round] = p.nanosPerReference();
                references = p.references();
            }
        }
        double[][] out = new double[levels.length][];
        for (int l = 0; l < levels.length; l++) {
            double[] warm = Arrays.copyOfRange(ns[l], 1, ns[l].length);
            Arrays.sort(warm);
            out[l] = new double[] {ns[l][0], warm[(warm.length - 1) / 2]};
        }
        return new Floor(references, out);
    }
}
