package org.nestwalk.tlb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The Intel-style paging-structure caches: keyed by address prefix per level, the deepest prefix wins. */
class PagingStructureCachesTest {
    private static final long VA = 0x7f12_3456_7000L;

    @Test
    void theDeepestCachedPrefixWins() {
        PagingStructureCaches c = new PagingStructureCaches(32, 4, 2);
        assertEquals(0, c.lookup(VA, 1, 4));
        c.fill(VA, 1, 4, 0x1000, -1);
        c.fill(VA, 1, 3, 0x2000, -1);
        assertEquals(3, c.lookup(VA, 1, 4), "the PDPTE cache holds bits 47:30 of VA");
        assertEquals(0x2000, c.lastTable());
        c.fill(VA, 1, 2, 0x3000, 0x9000);
        assertEquals(2, c.lookup(VA, 1, 4));
        assertEquals(0x3000, c.lastTable());
        assertEquals(0x9000, c.lastGuestTable());
        // Another 2 MiB region under the same 1 GiB: the PDE misses, the PDPTE hits.
        assertEquals(3, c.lookup(VA + (1L << 21), 1, 4));
        assertEquals(0, c.lookup(VA, 2, 4), "another address space");
        assertEquals(5, c.probes());
        assertEquals(3, c.hits());
    }

    @Test
    void invlpgDropsTheAddressSpaceAndNothingElse() {
        PagingStructureCaches c = new PagingStructureCaches(32, 4, 2);
        c.fill(VA, 1, 2, 0x3000, -1);
        c.fill(VA, 2, 2, 0x4000, -1);
        c.invalidateContext(1);
        assertEquals(0, c.lookup(VA, 1, 4));
        assertEquals(2, c.lookup(VA, 2, 4));
        c.flush();
        assertEquals(0, c.lookup(VA, 2, 4));
    }

    @Test
    void leastRecentlyUsedLeavesAFullSet() {
        // One set of two ways per level: a third prefix evicts the one used least recently.
        PagingStructureCaches c = new PagingStructureCaches(2, 2, 2);
        long a = 0;
        long b = 1L << 21;
        long d = 2L << 21;
        c.fill(a, 1, 2, 0xA000, -1);
        c.fill(b, 1, 2, 0xB000, -1);
        assertEquals(2, c.lookup(a, 1, 4));
        c.fill(d, 1, 2, 0xD000, -1);
        assertEquals(2, c.lookup(a, 1, 4));
        assertEquals(0, c.lookup(b, 1, 4));
        assertEquals(2, c.lookup(d, 1, 4));
    }

    @Test
    void sizesMustMakeWholeSets() {
        assertFalse(new PagingStructureCaches(0, 4, 2).present());
        assertThrows(IllegalArgumentException.class, () -> new PagingStructureCaches(24, 4, 2));
    }
}
