package org.nestwalk.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The core's checkpoints: a squash goes back to one, discards it and every younger one, and keeps what is older. */
class CheckpointsTest {
    /** The core passes 10 references of 3 instructions, 5 cycles each; a checkpoint at each of {@code at}. */
    private static Checkpoints run(CoreCounters c, int... at) {
        Checkpoints cps = new Checkpoints();
        int next = 0;
        for (int ref = 0; ref < 10; ref++) {
            if (next < at.length && at[next] == ref) {
                cps.save(c, ref, 0x1000L * ref, ref % 2 == 1, ref, next, 0);
                next++;
            }
            c.references++;
            c.stores += ref % 2;
            c.instructions += 3;
            c.baseCycles += 5;
        }
        return cps;
    }

    @Test
    void aSquashKeepsEverythingOlderThanItsCheckpoint() {
        CoreCounters c = new CoreCounters();
        Checkpoints cps = run(c, 2, 5, 7);
        assertEquals(3, cps.size());
        long lost = cps.restore(1, c);
        // Back to reference 5: references 0-4 stand, 5-9 are thrown away with their cycles.
        assertEquals(5, c.references);
        assertEquals(15, c.instructions);
        assertEquals(2, c.stores);
        assertEquals(25, c.baseCycles);
        assertEquals(25, lost);
        assertEquals(5, c.squashedReferences);
        // The checkpoint and every younger one are gone; the older one stays.
        assertEquals(1, cps.size());
        assertEquals(2, cps.pos(0));
        assertEquals(0, cps.of(0));
        assertEquals(-1, cps.of(1));
        assertEquals(-1, cps.of(2));
    }

    @Test
    void aReleasedCheckpointLeavesTheOthersInProgramOrder() {
        CoreCounters c = new CoreCounters();
        Checkpoints cps = run(c, 1, 4, 8);
        cps.release(1);
        assertEquals(2, cps.size());
        assertEquals(1, cps.pos(0));
        assertEquals(8, cps.pos(1));
        assertEquals(3 * 8, cps.instructions(1));
        assertTrue(cps.storedSince(1, c));
        cps.restore(1, c);
        assertEquals(8, c.references);
        assertEquals(4, c.stores);
        assertTrue(cps.storedSince(0, c), "references 1, 3, 5 and 7 stored since reference 1");
        assertEquals(1, cps.size());
    }
}
