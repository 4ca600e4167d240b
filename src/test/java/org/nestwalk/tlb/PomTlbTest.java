package org.nestwalk.tlb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.pagetable.PageSize;

/** The part-of-memory TLB: one line per set, tagged by address space, kept coherent like a TLB. */
class PomTlbTest {
    private static final long BASE = 1L << 33;
    private static final long VA = 0x7f12_3456_7000L;

    @Test
    void aFilledTranslationIsFoundInTheLineItsSetLivesIn() {
        PomTlb p = new PomTlb(BASE, 1024, 0);
        assertEquals(-1, p.lookup(VA, 1, false, false));
        p.fill(VA, 1, 0x5_0000_0000L, PageSize.SIZE_4K, true);
        assertEquals(0x5_0000_0000L, p.lookup(VA + 0x123, 1, false, false));
        assertEquals(PageSize.SIZE_4K, p.lastSize());
        assertEquals(-1, p.lookup(VA, 2, false, false), "another address space");
        long line = p.lineAddress(VA, 1);
        assertEquals(0, line % 64);
        assertTrue(line >= BASE && line < BASE + PomTlb.sizeBytes(1024, 0));
        assertEquals(3, p.probes());
        assertEquals(1, p.hits());
    }

    @Test
    void aStoreThroughAReadOnlyTranslationMisses() {
        PomTlb p = new PomTlb(BASE, 1024, 0);
        p.fill(VA, 1, 0x5_0000_0000L, PageSize.SIZE_4K, false);
        assertEquals(0x5_0000_0000L, p.lookup(VA, 1, false, false));
        assertFalse(p.lastWritable());
        assertEquals(-1, p.lookup(VA, 1, true, false));
    }

    @Test
    void invlpgDropsOneTranslationAndAFlushDropsThemAll() {
        PomTlb p = new PomTlb(BASE, 1024, 0);
        p.fill(VA, 1, 0x5_0000_0000L, PageSize.SIZE_4K, true);
        p.fill(VA + 0x1000, 1, 0x5_0000_1000L, PageSize.SIZE_4K, true);
        p.invalidate(VA, 1);
        assertEquals(-1, p.lookup(VA, 1, false, false));
        assertEquals(0x5_0000_1000L, p.lookup(VA + 0x1000, 1, false, false));
        p.flush();
        assertEquals(-1, p.lookup(VA + 0x1000, 1, false, false));
        p.fill(VA, 1, 0x6_0000_0000L, PageSize.SIZE_4K, true);
        assertEquals(0x6_0000_0000L, p.lookup(VA, 1, false, false), "filled again after the flush");
    }

    @Test
    void aSetHoldsFourAndReplacesTheLeastRecentlyUsed() {
        // One set of four ways: the fifth translation evicts the one used least recently.
        PomTlb p = new PomTlb(BASE, 4, 0);
        for (int i = 0; i < 4; i++) {
            p.fill(VA + ((long) i << 12), 1, (long) (i + 1) << 32, PageSize.SIZE_4K, true);
        }
        assertTrue(p.lookup(VA, 1, false, false) >= 0);
        p.fill(VA + (4L << 12), 1, 5L << 32, PageSize.SIZE_4K, true);
        assertTrue(p.lookup(VA, 1, false, false) >= 0, "used last, kept");
        assertEquals(-1, p.lookup(VA + (1L << 12), 1, false, false), "the least recently used went");
    }

    @Test
    void largePagesHaveAPartitionOfTheirOwn() {
        PomTlb p = new PomTlb(BASE, 1024, 64);
        assertFalse(p.probesLargePages());
        p.fill(VA, 1, 0x4000_0000L, PageSize.SIZE_2M, true);
        assertTrue(p.probesLargePages());
        assertEquals(-1, p.lookup(VA, 1, false, false));
        assertEquals(0x4000_0000L, p.lookup(VA, 1, false, true));
        assertEquals(PageSize.SIZE_2M, p.lastSize());
    }
}
