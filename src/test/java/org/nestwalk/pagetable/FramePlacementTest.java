package org.nestwalk.pagetable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nestwalk.random.RandomStreams;

/** Frame placements: shuffled moves 4 KiB frames only within the 2 MiB regions scattered hands out. */
class FramePlacementTest {
    private static List<Long> frames(FramePlacement p, int replication, int n) {
        FrameAllocator a = new FrameAllocator("test", 1L << 30, p, new RandomStreams(1, replication).stream("f"));
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(a.allocate(PageSize.SIZE_4K));
        }
        return out;
    }

    @Test
    void shuffledPermutesTheFramesOfEachRegionThatScatteredTakes() {
        List<Long> scattered = frames(FramePlacement.SCATTERED, 0, 2048);
        List<Long> shuffled = frames(FramePlacement.SHUFFLED, 0, 2048);
        for (int region = 0; region < 4; region++) {
            List<Long> s = scattered.subList(region * 512, region * 512 + 512);
            List<Long> f = shuffled.subList(region * 512, region * 512 + 512);
            assertEquals(new HashSet<>(s), new HashSet<>(f), "region " + region + ": the same 512 frames");
            assertNotEquals(s, f, "region " + region + ": in another order");
            for (int i = 1; i < 512; i++) {
                assertEquals(s.get(0) + ((long) i << 12), (long) s.get(i), "scattered: ascending in its region");
            }
        }
        assertNotEquals(shuffled, frames(FramePlacement.SHUFFLED, 1, 2048), "another replication, another order");
        assertEquals(shuffled, frames(FramePlacement.SHUFFLED, 0, 2048), "the same replication, the same order");
        Set<Long> distinct = new HashSet<>(shuffled);
        assertEquals(2048, distinct.size());
    }
}
