package org.nestwalk.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.assoc.ReferenceLru;
import org.nestwalk.random.RandomStream;

class CacheTest {
    @Test
    void hitsAndMissesAreThoseOfAReferenceLruOfLines() {
        // The default L1D, L2 and LLC geometries, on references with the locality that exercises the same-line
        // shortcut (runs within a line, strides) and without it (jumps), with clears in between.
        for (CacheConfig config : new CacheConfig[] {new CacheConfig("L1D", 32 << 10, 8, 4),
            new CacheConfig("L2", 256 << 10, 8, 12), new CacheConfig("LLC", 8 << 20, 16, 40),
            new CacheConfig("tiny", 128, 2, 1)}) {
            Cache cache = new Cache(config);
            ReferenceLru model = new ReferenceLru(config.lines(), config.ways());
            RandomStream r = new RandomStream(config.lines());
            long footprint = 4L * config.sizeBytes();
            long address = 0;
            long hits = 0;
            for (int i = 0; i < 300_000; i++) {
                switch (r.nextInt(4)) {
                    case 0 -> address += 8;
                    case 1 -> address += 64L * config.sets();
                    case 2 -> { }
                    default -> address = r.nextLong(footprint);
                }
                address %= footprint;
                long line = address >>> 6;
                boolean expected = model.access(line, line);
                assertEquals(expected, cache.access(address), config.name() + ", reference " + i);
                hits += expected ? 1 : 0;
                if (i % 100_000 == 99_999) {
                    cache.clear();
                    model.clear();
                    assertFalse(cache.contains(address), "a cleared cache holds nothing");
                }
            }
            assertEquals(hits, cache.hits(), config.name());
            assertEquals(300_000 - hits, cache.misses(), config.name());
        }
    }

    @Test
    void aRepeatedLineHitsAfterItsFirstMiss() {
        Cache cache = new Cache(new CacheConfig("L1D", 32 << 10, 8, 4));
        assertFalse(cache.access(0x1000));
        assertTrue(cache.access(0x1008));
        assertTrue(cache.access(0x103f));
        assertFalse(cache.access(0x1040));
        assertEquals(2, cache.hits());
        assertEquals(2, cache.misses());
    }
}
