package org.nestwalk.tlb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.assoc.LruArray;
import org.nestwalk.pagetable.PageSize;

class TlbTest {
    private static final TlbLevelConfig L1 = new TlbLevelConfig(64, 4, 32, 4, 1);
    private static final TlbLevelConfig L2 = new TlbLevelConfig(512, 4, 0, 4, 7);

    /**
     * l1Translation, counted with countL1Hits when it answers and followed by translate when it does not (as the
     * core's loop uses them), leaves the TLBs as translate alone would: the same answers, counts and entries, on
     * small and large pages, loads and stores through read-only entries.
     */
    @Test
    void anL1TranslationThenATranslateIsATranslate() {
        DataTlb plain = new DataTlb(L1, L2);
        DataTlb probed = new DataTlb(L1, L2);
        java.util.Random r = new java.util.Random(11);
        long[] a = new long[6];
        long[] b = new long[6];
        long va = 0;
        for (int i = 0; i < 200_000; i++) {
            va = r.nextInt(4) == 0 ? va + 8 : (long) r.nextInt(1 << 12) << 12 | r.nextInt(4096);
            boolean write = r.nextBoolean();
            long pa = plain.translate(va, 1, write);
            long quick = probed.l1Translation(va, 1, write);
            if (quick != DataTlb.MISS) {
                probed.countL1Hits(1);
                assertEquals(pa, quick, "reference " + i);
                assertFalse(plain.lastMissedL1(), "an L1 answer is an L1 hit, reference " + i);
            } else {
                assertEquals(pa, probed.translate(va, 1, write), "reference " + i);
            }
            assertEquals(plain.lastMissedL1(), probed.lastMissedL1(), "reference " + i);
            if (pa == DataTlb.MISS) {
                // The walk's fill: a large page for some, read-only for some.
                PageSize size = r.nextInt(8) == 0 ? PageSize.SIZE_2M : PageSize.SIZE_4K;
                long base = (va & ~size.offsetMask()) + (1L << 32);
                boolean writable = r.nextInt(4) != 0 || write;
                plain.fill(va, 1, base, size, writable);
                probed.fill(va, 1, base, size, writable);
            }
            plain.counts(a);
            probed.counts(b);
            assertArrayEquals(a, b, "counts after reference " + i);
        }
    }

    @Test
    void translatesWithinTheFilledPage() {
        DataTlb t = new DataTlb(L1, L2);
        t.fill(0x7000_1000L, 5, 0x3_4000L, PageSize.SIZE_4K, true);
        assertEquals(0x3_4abcL, t.translate(0x7000_1abcL, 5, false));
        assertFalse(t.lastMissedL1());
        assertEquals(DataTlb.MISS, t.translate(0x7000_2abcL, 5, false));
    }

    @Test
    void entriesAreTaggedByAddressSpace() {
        DataTlb t = new DataTlb(L1, L2);
        t.fill(0x7000_1000L, 5, 0x3_4000L, PageSize.SIZE_4K, true);
        assertEquals(DataTlb.MISS, t.translate(0x7000_1000L, 6, false));
        assertEquals(1, t.l2Misses());
    }

    @Test
    void aLargePageTranslatesItsWholeTwoMegabytes() {
        DataTlb t = new DataTlb(L1, L2);
        t.fill(0x4020_0000L, 1, 0x8000_0000L, PageSize.SIZE_2M, true);
        assertEquals(0x801f_fff8L, t.translate(0x403f_fff8L, 1, false));
        assertEquals(0x8000_0000L, t.translate(0x4020_0000L, 1, false));
    }

    @Test
    void anL2HitRefillsTheL1() {
        DataTlb t = new DataTlb(new TlbLevelConfig(4, 4, 0, 4, 1), L2);
        for (long p = 0; p < 5; p++) {
            t.fill(p << 12, 1, (p + 100) << 12, PageSize.SIZE_4K, true);
        }
        // Page 0 fell out of the 4-entry L1 but is in the L2.
        assertEquals(100L << 12, t.translate(0, 1, false));
        assertTrue(t.lastMissedL1());
        assertEquals(1, t.l1Misses());
        assertEquals(0, t.l2Misses());
        t.translate(0, 1, false);
        assertFalse(t.lastMissedL1());
        assertEquals(8, t.l1MissLatency());
    }

    @Test
    void aStoreThroughAReadOnlyTranslationMisses() {
        DataTlb t = new DataTlb(L1, L2);
        t.fill(0x1000, 1, 0x9000, PageSize.SIZE_4K, false);
        assertEquals(0x9010L, t.translate(0x1010, 1, false));
        assertEquals(DataTlb.MISS, t.translate(0x1010, 1, true), "copy-on-write and dirty tracking need a walk");
        assertEquals(DataTlb.MISS, t.translate(0x1010, 1, false), "the read-only entry was dropped");
    }

    @Test
    void invalidationRemovesBothLevels() {
        DataTlb t = new DataTlb(L1, L2);
        t.fill(0x1000, 1, 0x2000, PageSize.SIZE_4K, true);
        t.invalidate(0x1000, 1);
        assertEquals(DataTlb.MISS, t.translate(0x1000, 1, false));
    }

    @Test
    void nestedTlbCachesWholeNestedTranslations() {
        NestedTlb n = new NestedTlb(new WalkCacheConfig(16, 1));
        n.fill(0x1234_5000L, 1, 0x9_9000L, PageSize.SIZE_4K, true);
        assertEquals(0x9_9678L, n.lookup(0x1234_5678L, 1));
        assertEquals(LruArray.MISS, n.lookup(0x1234_5678L, 2), "another VM");
        n.fill(0x4000_0000L, 1, 0x1_0000_0000L, PageSize.SIZE_2M, false);
        assertEquals(0x1_0012_3456L, n.lookup(0x4012_3456L, 1));
        assertEquals(PageSize.SIZE_2M, n.lastHitSize());
        assertFalse(n.lastHitWritable(), "a read-only nested entry stays read-only in the NTLB");
        assertEquals(3, n.probes());
        assertEquals(2, n.hits());
    }

    @Test
    void pageWalkCacheIsTaggedByEntryAddress() {
        PageWalkCache p = new PageWalkCache(new WalkCacheConfig(2, 2));
        p.fill(0x1000);
        assertTrue(p.probe(0x1000));
        assertFalse(p.probe(0x1008), "the neighbouring entry is another tag");
        p.fill(0x2000);
        p.fill(0x3000); // evicts 0x1000 (least recent)
        assertFalse(p.probe(0x1000));
        assertFalse(new PageWalkCache(new WalkCacheConfig(0, 2)).present());
    }
}
