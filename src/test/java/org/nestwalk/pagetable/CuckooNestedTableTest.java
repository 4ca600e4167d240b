package org.nestwalk.pagetable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hashed nested table: clusters of 8 pages in d ways, found by reading one line in each. */
class CuckooNestedTableTest {
    private static final long BASE = 1L << 32;

    @Test
    void eightConsecutivePagesShareOneLineInOneOfTheWays() {
        CuckooNestedTable t = new CuckooNestedTable(BASE, 3, 64L << 20, PageSize.SIZE_4K);
        List<Long> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            t.map(0x10_0000L + (i << 12), 0x8000_0000L + ((long) i << 12), true, lines::add);
        }
        assertEquals(8, lines.size(), "one line written per mapping (no displacement in an empty table)");
        assertEquals(1, new HashSet<>(lines).size(), "the cluster's one line");
        long c = t.cluster(0x10_0000L);
        int way = t.wayOf(c);
        assertTrue(way >= 0 && way < 3);
        assertEquals(t.lineAddress(way, c), lines.get(0));
        Mapping m = t.lookup(0x10_3456L);
        assertEquals(0x8000_3000L, m.pageBase());
        assertEquals(0x8000_3456L, m.translate(0x10_3456L));
        assertEquals(t.lineAddress(way, c) + 3 * 8, m.leafAddress(), "the fourth entry of the line");
        assertNull(t.lookup(0x10_8000L), "the next cluster is not mapped");
    }

    @Test
    void everyWayIsReadAtItsOwnLineAndTheTableFitsItsSize() {
        long guest = 64L << 20;
        CuckooNestedTable t = new CuckooNestedTable(BASE, 4, guest, PageSize.SIZE_4K);
        long end = BASE + CuckooNestedTable.sizeBytes(4, guest, PageSize.SIZE_4K);
        Set<Long> lines = new HashSet<>();
        for (int w = 0; w < 4; w++) {
            long line = t.lineAddress(w, 12345);
            assertEquals(0, line % 64);
            assertTrue(line >= BASE && line < end);
            lines.add(line);
        }
        assertEquals(4, lines.size(), "one distinct line per way");
    }

    @Test
    void aFullMemoryFitsWithDisplacementsAndEveryPageIsStillFound() {
        // Two ways, the whole VM mapped: collisions force clusters to move between ways.
        long guest = 32L << 20;
        CuckooNestedTable t = new CuckooNestedTable(BASE, 2, guest, PageSize.SIZE_4K);
        for (long gpa = 0; gpa < guest; gpa += 4096) {
            t.map(gpa, (gpa + (1L << 33)), true, line -> { });
        }
        assertTrue(t.moves() > 0, "some clusters were displaced");
        for (long gpa = 0; gpa < guest; gpa += 4096) {
            assertEquals(gpa + (1L << 33), t.lookup(gpa).pageBase());
        }
    }

    @Test
    void unmappingTheLastPageOfAClusterFreesItsSlot() {
        CuckooNestedTable t = new CuckooNestedTable(BASE, 3, 64L << 20, PageSize.SIZE_4K);
        t.map(0x2000, 0x9000, true, line -> { });
        long c = t.cluster(0x2000);
        assertTrue(t.wayOf(c) >= 0);
        assertEquals(0x9000, t.unmap(0x2000, line -> { }).pageBase());
        assertEquals(-1, t.wayOf(c));
        assertNull(t.unmap(0x2000, line -> { }));
    }
}
