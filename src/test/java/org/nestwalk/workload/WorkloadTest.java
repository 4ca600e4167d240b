package org.nestwalk.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nestwalk.random.RandomStream;
import org.nestwalk.random.RandomStreams;

class WorkloadTest {
    private static final long BASE = WorkloadSpec.BASE_ADDRESS;

    private static WorkloadSpec spec(AccessPattern p, long footprint, double writes) {
        return new WorkloadSpec("t", p, footprint, writes, 3, 8, 0.99, true);
    }

    private static ReferenceBuffer first(WorkloadSpec spec, long seed) {
        ReferenceBuffer b = new ReferenceBuffer(4096);
        SyntheticWorkload.program(spec, new RandomStreams(seed, 0)).fill(b);
        return b;
    }

    /**
     * A churn round is two records (munmap, then mmap). When the vCPU keeps records a squash may replay, a fill can
     * start with one free slot; the round used to overflow the buffer there (found by experiments/smp.yaml: index
     * 4096 out of bounds for length 4096). It now waits for the next fill, and the records come out the same.
     */
    @Test
    void aChurnRoundWaitsForTwoFreeSlots() {
        WorkloadSpec churny = new WorkloadSpec("t", AccessPattern.UNIFORM, 1L << 20, 0.3, 3, 8, 0.99, true, 0, 1, 0,
                0, 10, 8192, 0);
        ReferenceStream s = SyntheticWorkload.program(churny, new RandomStreams(3, 0));
        ReferenceBuffer b = new ReferenceBuffer(16);
        s.fill(b);
        // The first 10 references, the first round's mmap (nothing to unmap yet), its 2 touches, 3 references.
        assertEquals(16, b.size());
        assertEquals(OsEvent.Kind.MMAP, b.event(10).kind());
        // Keep 15 records for replay each time, so that every fill has one slot: one reference a fill until the
        // next round is due (5 more: the touches count towards the 10), then a fill that adds nothing.
        int added = 0;
        while (true) {
            b.retainFrom(1);
            s.fill(b);
            b.releaseRetained();
            if (b.size() == 15) {
                break;
            }
            assertEquals(16, b.size());
            assertEquals(0, b.flags(15) & ReferenceBuffer.EVENT);
            added++;
        }
        assertEquals(5, added);
        s.fill(b);
        assertEquals(ReferenceBuffer.EVENT, b.flags(0));
        assertEquals(OsEvent.Kind.MUNMAP, b.event(0).kind());
        assertEquals(OsEvent.Kind.MMAP, b.event(1).kind());
    }

    @Test
    void everyPatternStaysInsideItsFootprintAligned() {
        for (AccessPattern p : AccessPattern.values()) {
            ReferenceStream s = SyntheticWorkload.program(spec(p, 1L << 20, 0.3), new RandomStreams(1, 0));
            ReferenceBuffer b = new ReferenceBuffer(1000);
            for (int round = 0; round < 50; round++) {
                s.fill(b);
                for (int i = 0; i < b.size(); i++) {
                    long va = b.address(i);
                    assertTrue(va >= BASE && va < BASE + (1L << 20), p + " " + Long.toHexString(va));
                    assertEquals(0, va & 7);
                    assertEquals(3, b.instructions(i));
                }
            }
            assertEquals(new Region(BASE, 1L << 20), s.regions().get(0));
        }
    }

    @Test
    void theWriteFractionIsHonoured() {
        ReferenceStream s = SyntheticWorkload.program(spec(AccessPattern.UNIFORM, 1L << 20, 0.3), new RandomStreams(2, 0));
        ReferenceBuffer b = new ReferenceBuffer(4096);
        long writes = 0;
        long n = 0;
        for (int round = 0; round < 100; round++) {
            s.fill(b);
            for (int i = 0; i < b.size(); i++) {
                writes += b.flags(i) & ReferenceBuffer.WRITE;
                n++;
            }
        }
        // 409,600 Bernoulli(0.3) draws: sd of the fraction 0.0007.
        assertEquals(0.3, (double) writes / n, 0.004);
        ReferenceBuffer none = first(spec(AccessPattern.UNIFORM, 1L << 20, 0), 2);
        for (int i = 0; i < none.size(); i++) {
            assertEquals(0, none.flags(i) & ReferenceBuffer.WRITE);
        }
    }

    @Test
    void aStreamAdvancesByItsStrideAndWraps() {
        WorkloadSpec s = new WorkloadSpec("t", AccessPattern.STREAM, 8192, 0, 1, 64, 0, true);
        ReferenceBuffer b = first(s, 3);
        for (int i = 1; i < b.size(); i++) {
            long step = b.address(i) - b.address(i - 1);
            assertTrue(step == 64 || step == 64 - 8192, "step " + step);
        }
    }

    @Test
    void aPointerChaseVisitsEveryLineOnceInACycleAndDependsOnTheLastLoad() {
        long lines = 4096;
        ReferenceStream s = SyntheticWorkload.program(spec(AccessPattern.CHASE, lines * 64, 0), new RandomStreams(4, 0));
        ReferenceBuffer b = new ReferenceBuffer((int) lines);
        s.fill(b);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < b.size(); i++) {
            assertEquals(0, b.address(i) & 63);
            assertEquals(ReferenceBuffer.DEPENDENT, b.flags(i) & ReferenceBuffer.DEPENDENT);
            seen.add(b.address(i));
        }
        assertEquals(lines, seen.size());
    }

    @Test
    void zipfRanksFollowTheirLaw() {
        // Frequencies of the first ranks against 1/k^s / H(n, s), within 4 standard errors.
        long n = 1000;
        double s = 0.99;
        ZipfSampler z = new ZipfSampler(n, s);
        RandomStream r = new RandomStream(6);
        int draws = 1_000_000;
        long[] count = new long[11];
        for (int i = 0; i < draws; i++) {
            long k = z.sample(r);
            assertTrue(k >= 1 && k <= n);
            if (k <= 10) {
                count[(int) k]++;
            }
        }
        double h = 0;
        for (long k = 1; k <= n; k++) {
            h += Math.pow(k, -s);
        }
        for (int k = 1; k <= 10; k++) {
            double p = Math.pow(k, -s) / h;
            double se = Math.sqrt(p * (1 - p) / draws);
            assertEquals(p, (double) count[k] / draws, 4 * se, "rank " + k);
        }
    }

    @Test
    void zipfWithExponentZeroIsUniform() {
        ZipfSampler z = new ZipfSampler(4, 0);
        RandomStream r = new RandomStream(7);
        long[] c = new long[5];
        for (int i = 0; i < 400_000; i++) {
            c[(int) z.sample(r)]++;
        }
        for (int k = 1; k <= 4; k++) {
            assertEquals(0.25, c[k] / 400_000.0, 0.004);
        }
    }

    @Test
    void sameSeedSameReferencesAndOtherSeedOthers() {
        for (AccessPattern p : AccessPattern.values()) {
            ReferenceBuffer a = first(spec(p, 1L << 24, 0.3), 8);
            ReferenceBuffer b = first(spec(p, 1L << 24, 0.3), 8);
            ReferenceBuffer c = first(spec(p, 1L << 24, 0.3), 9);
            boolean differs = false;
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.address(i), b.address(i));
                assertEquals(a.flags(i), b.flags(i));
                differs |= a.address(i) != c.address(i);
            }
            assertTrue(differs, p.toString());
        }
    }

    @Test
    void presetsAreNamedAndUnknownNamesListTheKnownOnes() {
        assertEquals("uniform", Presets.get("random").settings().get("workload.pattern"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Presets.get("gupz"));
        assertTrue(e.getMessage().contains("random, stream, zipf, chase"), e.getMessage());
    }
}
