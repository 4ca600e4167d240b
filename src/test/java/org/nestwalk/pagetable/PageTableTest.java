package org.nestwalk.pagetable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nestwalk.random.KeyedPermutation;
import org.nestwalk.random.RandomStream;

class PageTableTest {

    private static final class Recorder implements TableWriteObserver {
        final List<Long> writes = new ArrayList<>();
        final List<Long> nodes = new ArrayList<>();

        @Override
        public void entryWritten(long va, long entryAddress, int level, long oldValue, long newValue) {
            writes.add(entryAddress);
        }

        @Override
        public void nodeAllocated(long nodeAddress, int level) {
            nodes.add(nodeAddress);
        }
    }

    private static FrameAllocator frames(long size) {
        return new FrameAllocator("test", size, FramePlacement.SEQUENTIAL, new RandomStream(1));
    }

    @Test
    void mappingAFourKilobytePageInAnEmptyTableWritesFourEntriesAndThreeNodes() {
        PhysicalMemory mem = new PhysicalMemory("test", 1L << 30);
        FrameAllocator f = frames(1L << 30);
        RadixPageTable t = new RadixPageTable(mem, f.allocate(PageSize.SIZE_4K));
        Recorder r = new Recorder();
        long data = f.allocate(PageSize.SIZE_4K);
        t.map(0x7f12_3456_7000L, data, PageSize.SIZE_4K, true, l -> f.allocate(PageSize.SIZE_4K), r);
        assertEquals(4, r.writes.size());
        assertEquals(3, r.nodes.size());
        Mapping m = t.lookup(0x7f12_3456_7abcL);
        assertEquals(data | 0xabc, m.translate(0x7f12_3456_7abcL));
        assertEquals(PageSize.SIZE_4K, m.size());
        // A neighbour in the same level-1 node needs one write only.
        Recorder r2 = new Recorder();
        t.map(0x7f12_3456_8000L, f.allocate(PageSize.SIZE_4K), PageSize.SIZE_4K, true,
                l -> f.allocate(PageSize.SIZE_4K), r2);
        assertEquals(1, r2.writes.size());
        assertTrue(r2.nodes.isEmpty());
    }

    @Test
    void entryIndexesFollowTheX86Layout() {
        long va = 0x7f12_3456_7000L;
        assertEquals((int) ((va >>> 39) & 511), RadixPageTable.index(va, 4));
        assertEquals((int) ((va >>> 30) & 511), RadixPageTable.index(va, 3));
        assertEquals((int) ((va >>> 21) & 511), RadixPageTable.index(va, 2));
        assertEquals((int) ((va >>> 12) & 511), RadixPageTable.index(va, 1));
    }

    @Test
    void largePagesEndTheTableEarly() {
        PhysicalMemory mem = new PhysicalMemory("test", 1L << 32);
        FrameAllocator f = frames(1L << 32);
        RadixPageTable t = new RadixPageTable(mem, f.allocate(PageSize.SIZE_4K));
        Recorder r = new Recorder();
        long big = f.allocate(PageSize.SIZE_2M);
        t.map(0x4000_0000L, big, PageSize.SIZE_2M, true, l -> f.allocate(PageSize.SIZE_4K), r);
        assertEquals(3, r.writes.size());
        Mapping m = t.lookup(0x401f_f008L);
        assertEquals(PageSize.SIZE_2M, m.size());
        assertEquals(big + 0x1f_f008L, m.translate(0x401f_f008L));
        assertTrue(Pte.large(m.leafEntry()));
        assertThrows(IllegalStateException.class, () -> t.map(0x4000_1000L, f.allocate(PageSize.SIZE_4K),
                PageSize.SIZE_4K, true, l -> f.allocate(PageSize.SIZE_4K), TableWriteObserver.NONE));
        t.map(0x4020_1000L, f.allocate(PageSize.SIZE_4K), PageSize.SIZE_4K, true,
                l -> f.allocate(PageSize.SIZE_4K), TableWriteObserver.NONE);
        assertThrows(IllegalStateException.class, () -> t.map(0x4020_0000L, f.allocate(PageSize.SIZE_2M),
                PageSize.SIZE_2M, true, l -> f.allocate(PageSize.SIZE_4K), TableWriteObserver.NONE));
    }

    @Test
    void unmapLeavesANotPresentEntry() {
        PhysicalMemory mem = new PhysicalMemory("test", 1L << 30);
        FrameAllocator f = frames(1L << 30);
        RadixPageTable t = new RadixPageTable(mem, f.allocate(PageSize.SIZE_4K));
        t.map(0x1000, f.allocate(PageSize.SIZE_4K), PageSize.SIZE_4K, true, l -> f.allocate(PageSize.SIZE_4K),
                TableWriteObserver.NONE);
        Recorder r = new Recorder();
        Mapping m = t.unmap(0x1000, r);
        assertEquals(List.of(m.leafAddress()), r.writes);
        assertNull(t.lookup(0x1000));
        assertNull(t.unmap(0x1000, r));
    }

    @Test
    void framesAreAlignedDistinctAndReused() {
        FrameAllocator f = new FrameAllocator("test", 64L << 21, FramePlacement.SCATTERED, new RandomStream(3));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            long a = f.allocate(PageSize.SIZE_4K);
            assertEquals(0, a & 0xFFF);
            assertTrue(seen.add(a));
        }
        long big = f.allocate(PageSize.SIZE_2M);
        assertEquals(0, big & 0x1F_FFFF);
        for (long a : seen) {
            assertTrue(a < big || a >= big + (1 << 21), "a 4 KiB frame inside the 2 MiB frame");
        }
        long one = seen.iterator().next();
        f.free(one, PageSize.SIZE_4K);
        assertEquals(one, f.allocate(PageSize.SIZE_4K));
    }

    @Test
    void scatteredPlacementIsNotAscending() {
        FrameAllocator seq = frames(1L << 30);
        FrameAllocator sc = new FrameAllocator("test", 1L << 30, FramePlacement.SCATTERED, new RandomStream(3));
        assertEquals(0, seq.allocate(PageSize.SIZE_2M));
        assertEquals(1 << 21, seq.allocate(PageSize.SIZE_2M));
        long a = sc.allocate(PageSize.SIZE_2M);
        long b = sc.allocate(PageSize.SIZE_2M);
        assertNotEquals(a + (1 << 21), b);
    }

    @Test
    void exhaustionIsAClearError() {
        FrameAllocator f = frames(2L << 21);
        f.allocate(PageSize.SIZE_2M);
        f.allocate(PageSize.SIZE_2M);
        OutOfFramesException e = assertThrows(OutOfFramesException.class, () -> f.allocate(PageSize.SIZE_4K));
        assertTrue(e.getMessage().contains("test memory (4 MiB) is exhausted"), e.getMessage());
    }

    @Test
    void keyedPermutationIsABijection() {
        for (long n : new long[] {1, 2, 7, 1000, 4097}) {
            KeyedPermutation p = new KeyedPermutation(n, new RandomStream(n));
            Set<Long> out = new HashSet<>();
            for (long i = 0; i < n; i++) {
                long x = p.at(i);
                assertTrue(x >= 0 && x < n);
                out.add(x);
            }
            assertEquals(n, out.size());
        }
    }

    @Test
    void physicalMemoryReadsZeroWhereNothingWasWritten() {
        PhysicalMemory m = new PhysicalMemory("test", 1L << 30);
        assertEquals(0, m.read(0x1238));
        m.write(0x1238, 42);
        assertEquals(42, m.read(0x1238));
        assertEquals(0, m.read(0x1240));
        m.zeroFrame(0x1000);
        assertEquals(0, m.read(0x1238));
        assertThrows(IllegalArgumentException.class, () -> m.read(0x1234));
        assertThrows(IllegalArgumentException.class, () -> m.read(1L << 30));
        for (long f = 0; f < 5000; f++) {
            m.write(f << 12, f + 1);
        }
        for (long f = 0; f < 5000; f++) {
            assertEquals(f + 1, m.read(f << 12));
        }
    }
}
