package org.nestwalk.pagetable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.random.RandomStream;

class FlatAndInvertedTablesTest {

    @Test
    void aFlatTableHasOneEightByteEntryPerGuestFrame() {
        assertEquals(8L << 20, FlatNestedTable.sizeBytes(4L << 30), "8 MiB for a 4 GiB guest");
        assertEquals(0x10000 + 3 * 8, FlatNestedTable.entryAddress(0x10000, 0x3abc));
        PhysicalMemory host = new PhysicalMemory("host", 1L << 34);
        FlatNestedTable t = new FlatNestedTable(host, 1L << 33, 4L << 30);
        t.map(0x5000, 0x9_0000_0000L, PageSize.SIZE_4K, true, TableWriteObserver.NONE);
        Mapping m = t.lookup(0x5678);
        assertEquals(0x9_0000_0678L, m.translate(0x5678));
        assertNull(t.lookup(0x6000));
        assertThrows(IllegalArgumentException.class, () -> t.lookup(4L << 30));
    }

    @Test
    void aTwoMegabyteHostMappingIsFiveHundredTwelveReplicatedEntries() {
        PhysicalMemory host = new PhysicalMemory("host", 1L << 34);
        FlatNestedTable t = new FlatNestedTable(host, 1L << 33, 4L << 30);
        int[] writes = {0};
        t.map(0x4020_0000L, 0x2_0000_0000L, PageSize.SIZE_2M, true, new TableWriteObserver() {
            @Override
            public void entryWritten(long va, long entryAddress, int level, long oldValue, long newValue) {
                writes[0]++;
                assertTrue(Pte.large(newValue));
            }

            @Override
            public void nodeAllocated(long nodeAddress, int level) {
            }
        });
        assertEquals(512, writes[0]);
        Mapping m = t.lookup(0x403f_f123L);
        assertEquals(PageSize.SIZE_2M, m.size());
        assertEquals(0x2_001f_f123L, m.translate(0x403f_f123L));
    }

    @Test
    void theIsptHoldsTaggedTranslationsOneLinePerLookup() {
        InvertedShadowTable t = InvertedShadowTable.create(IsptLayout.HASHED, 0x100_0000L, 1 << 12, 0);
        assertEquals(InvertedShadowTable.MISS, t.lookup(1, 0x5000, 0x7f00_0000_1000L));
        t.fill(1, 0x5000, 0x7f00_0000_1000L, 0x9_9000L, true);
        long v = t.lookup(1, 0x5000, 0x7f00_0000_1abcL);
        assertEquals(0x9_9000L, InvertedShadowTable.pageBase(v));
        assertTrue(InvertedShadowTable.writable(v));
        assertEquals(InvertedShadowTable.MISS, t.lookup(1, 0x6000, 0x7f00_0000_1000L), "another address space");
        assertEquals(InvertedShadowTable.MISS, t.lookup(2, 0x5000, 0x7f00_0000_1000L), "another VM");
        long line = t.lineAddress(1, 0x5000, 0x7f00_0000_1000L);
        assertEquals(0, (line - 0x100_0000L) % 64);
        assertTrue(line < 0x100_0000L + InvertedShadowTable.sizeBytes(IsptLayout.HASHED, 1 << 12));
        assertEquals(4, t.probes());
        assertEquals(1, t.hits());
    }

    @Test
    void aFullIsptLineEvictsButNeverLies() {
        InvertedShadowTable t = InvertedShadowTable.create(IsptLayout.HASHED, 0, 64, 0);
        RandomStream r = new RandomStream(3);
        long[] va = new long[1000];
        for (int i = 0; i < va.length; i++) {
            va[i] = r.nextLong(1L << 35) << 12;
            t.fill(1, 7, va[i], (long) i << 12, false);
        }
        int hits = 0;
        for (int i = 0; i < va.length; i++) {
            long v = t.lookup(1, 7, va[i]);
            if (v != InvertedShadowTable.MISS) {
                hits++;
                assertEquals((long) i << 12, InvertedShadowTable.pageBase(v), "a hit is always the right entry");
                assertFalse(InvertedShadowTable.writable(v));
            }
        }
        assertTrue(hits <= 64, "no more entries than the table has");
        assertTrue(hits > 32);
    }
}
