package org.nestwalk.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.assoc.ReferenceLru;
import org.nestwalk.random.RandomStream;

class CacheTest {
    /**
     * hitIfPresent, followed by access when it says no (as the core's loop uses them), leaves the cache exactly as
     * access alone would: the same answers, counts and contents.
     */
    @Test
    void aHitIfPresentThenAnAccessIsAnAccess() {
        CacheConfig config = new CacheConfig("L1D", 32 << 10, 8, 4);
        Cache plain = new Cache(config);
        Cache probed = new Cache(config);
        RandomStream r = new RandomStream(7);
        long address = 0;
        for (int i = 0; i < 200_000; i++) {
            address = switch (r.nextInt(3)) {
                case 0 -> address + 8;
                case 1 -> address + 64L * config.sets();
                default -> r.nextLong(4L * config.sizeBytes());
            };
            boolean hit = plain.access(address);
            boolean quick = probed.hitIfPresent(address);
            assertTrue(!quick || hit, "a probe never hits where the access misses, reference " + i);
            assertEquals(hit, quick || probed.access(address), "reference " + i);
            assertEquals(plain.hits(), probed.hits(), "hits after reference " + i);
            assertEquals(plain.misses(), probed.misses(), "misses after reference " + i);
            long other = r.nextLong(4L * config.sizeBytes());
            assertEquals(plain.contains(other), probed.contains(other), "contents after reference " + i);
        }
    }

    /**
     * accessIfCached, followed by access when it says DRAM (as the core's loop uses them), leaves a hierarchy exactly
     * as access alone would: the same levels, every cache's hits and misses, the LLC counts and the contents.
     */
    @Test
    void anAccessIfCachedThenAnAccessIsAnAccess() {
        CacheConfig[] configs = {new CacheConfig("L1D", 4 << 10, 4, 4), new CacheConfig("L2", 16 << 10, 8, 12),
            new CacheConfig("LLC", 64 << 10, 16, 40)};
        Cache[] a = {new Cache(configs[0]), new Cache(configs[1]), new Cache(configs[2])};
        Cache[] b = {new Cache(configs[0]), new Cache(configs[1]), new Cache(configs[2])};
        CacheHierarchy plain = new CacheHierarchy(a[0], a[1], a[2]);
        CacheHierarchy probed = new CacheHierarchy(b[0], b[1], b[2]);
        RandomStream r = new RandomStream(9);
        long address = 0;
        int dram = 0;
        for (int i = 0; i < 200_000; i++) {
            address = switch (r.nextInt(3)) {
                case 0 -> address + 8;
                case 1 -> address + 64L * 16;
                default -> r.nextLong(256 << 10);
            };
            MemoryLevel level = plain.access(address);
            MemoryLevel quick = probed.accessIfCached(address);
            assertEquals(level, quick == null ? probed.access(address) : quick, "reference " + i);
            assertTrue(quick != null || level == MemoryLevel.DRAM, "null only for DRAM, reference " + i);
            dram += quick == null ? 1 : 0;
            for (int c = 0; c < 3; c++) {
                assertEquals(a[c].hits(), b[c].hits(), configs[c].name() + " hits after reference " + i);
                assertEquals(a[c].misses(), b[c].misses(), configs[c].name() + " misses after reference " + i);
            }
            assertEquals(plain.llcHits(), probed.llcHits(), "LLC hits after reference " + i);
            assertEquals(plain.llcMisses(), probed.llcMisses(), "LLC misses after reference " + i);
            long other = r.nextLong(256 << 10);
            for (int c = 0; c < 3; c++) {
                assertEquals(a[c].contains(other), b[c].contains(other), configs[c].name() + " contents, " + i);
            }
        }
        assertTrue(dram > 10_000, "the stream reaches DRAM often enough to test it: " + dram);
    }

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
