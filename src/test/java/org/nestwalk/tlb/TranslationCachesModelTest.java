package org.nestwalk.tlb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nestwalk.assoc.LruArray;
import org.nestwalk.assoc.ReferenceLru;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.random.RandomStream;

/**
 * The TLB levels, the page walk cache and the nested TLB against models of themselves built on a trivially correct
 * LRU store ({@link ReferenceLru}): over long random sequences of lookups, fills, invalidations and flushes they give
 * the same hits and the same answers, so whatever the fast stores do (move to front, same-page shortcuts, linear
 * scans or a hash index by size) changes nothing.
 */
class TranslationCachesModelTest {
    private static final PageSize[] SIZES = {PageSize.SIZE_4K, PageSize.SIZE_2M, PageSize.SIZE_1G};

    /** TlbLevel as it is specified: two set-associative LRU arrays keyed by page number and address space. */
    private static final class ModelTlbLevel {
        final ReferenceLru small;
        final ReferenceLru large;
        boolean lastHitLarge;
        boolean lastHitWritable;

        ModelTlbLevel(TlbLevelConfig c) {
            small = new ReferenceLru(c.entries4k(), c.ways4k());
            large = new ReferenceLru(c.entries2m(), c.ways2m());
        }

        long lookup(long va, int space) {
            long vpn = va >>> 12;
            long e = small.lookup(vpn << 16 | space, vpn);
            if (e != LruArray.MISS) {
                lastHitLarge = false;
                lastHitWritable = (e & 1) != 0;
                return (e >>> 1) << 12 | va & 0xFFF;
            }
            long vpn2m = va >>> 21;
            e = large.lookup(vpn2m << 16 | space, vpn2m);
            if (e != LruArray.MISS) {
                lastHitLarge = true;
                lastHitWritable = (e & 1) != 0;
                return (e >>> 1) << 21 | va & 0x1F_FFFF;
            }
            return LruArray.MISS;
        }

        void fill(long va, int space, long pageBase, PageSize size, boolean writable) {
            long w = writable ? 1 : 0;
            if (size == PageSize.SIZE_4K) {
                long vpn = va >>> 12;
                small.insert(vpn << 16 | space, vpn, (pageBase >>> 12) << 1 | w);
            } else {
                long base2m = (pageBase | va & size.offsetMask()) & ~PageSize.SIZE_2M.offsetMask();
                long vpn2m = va >>> 21;
                large.insert(vpn2m << 16 | space, vpn2m, (base2m >>> 21) << 1 | w);
            }
        }

        void invalidate(long va, int space) {
            small.invalidate((va >>> 12) << 16 | space, va >>> 12);
            large.invalidate((va >>> 21) << 16 | space, va >>> 21);
        }

        void flush() {
            small.clear();
            large.clear();
        }
    }

    @Test
    void tlbLevelsAnswerAsTheirModel() {
        TlbLevelConfig[] configs = {new TlbLevelConfig(64, 4, 32, 4, 1), new TlbLevelConfig(512, 4, 0, 4, 7),
            new TlbLevelConfig(4, 4, 0, 4, 1), new TlbLevelConfig(0, 4, 8, 2, 1), new TlbLevelConfig(16, 16, 4, 4, 1)};
        for (TlbLevelConfig c : configs) {
            TlbLevel tlb = new TlbLevel(c);
            ModelTlbLevel model = new ModelTlbLevel(c);
            RandomStream r = new RandomStream(c.entries4k() * 7L + c.entries2m());
            // Pages of 2 GiB in 4 address spaces; runs on one page, as a program makes, are frequent.
            long va = 0;
            int space = 0;
            for (int i = 0; i < 300_000; i++) {
                if (r.nextInt(3) != 0) {
                    va = r.nextInt(4) == 0 ? va + 8 : r.nextLong(1L << 31) & ~7L;
                    space = r.nextInt(8) == 0 ? r.nextInt(4) : space;
                }
                // Fewer distinct pages than 2 GiB holds, so that lookups hit.
                long page = (va >>> 12) % (3L * Math.max(1, c.entries4k() + c.entries2m()));
                long a = page << 12 | va & 0xFFF;
                String where = c + ", operation " + i;
                int op = r.nextInt(20);
                if (op < 14) {
                    long expected = model.lookup(a, space);
                    assertEquals(expected, tlb.lookup(a, space), where);
                    if (expected != LruArray.MISS) {
                        assertEquals(model.lastHitLarge, tlb.lastHitLarge(), where);
                        assertEquals(model.lastHitWritable, tlb.lastHitWritable(), where);
                    }
                } else if (op < 18) {
                    PageSize size = SIZES[r.nextInt(8) == 0 ? 1 + r.nextInt(2) : 0];
                    long base = (r.nextLong(1L << 40) & ~size.offsetMask());
                    boolean writable = r.nextInt(2) == 0;
                    model.fill(a, space, base, size, writable);
                    tlb.fill(a, space, base, size, writable);
                } else if (op < 19) {
                    model.invalidate(a, space);
                    tlb.invalidate(a, space);
                } else if (r.nextInt(50) == 0) {
                    model.flush();
                    tlb.flush();
                }
            }
        }
    }

    @Test
    void pageWalkCachesAnswerAsAnLruOfEntries() {
        for (int entries : new int[] {0, 1, 24, 64, 65, 512, 4096}) {
            PageWalkCache pwc = new PageWalkCache(new WalkCacheConfig(entries, 2));
            ReferenceLru model = ReferenceLru.fullyAssociative(entries);
            RandomStream r = new RandomStream(entries);
            long hits = 0;
            for (int i = 0; i < 200_000; i++) {
                // Entry addresses of a few table pages: 8-byte entries, neighbours often.
                long address = (r.nextLong(2L * entries + 4) << 3) + 0x10_0000;
                long key = address >>> 3;
                int op = r.nextInt(10);
                if (op < 6) {
                    boolean expected = model.lookup(key, 0) != LruArray.MISS;
                    assertEquals(expected, pwc.probe(address), entries + " entries, operation " + i);
                    hits += expected ? 1 : 0;
                    if (!expected && r.nextInt(3) != 0) {
                        // What the walker does after a miss: read the entry, then keep it.
                        model.insert(key, 0, 0);
                        pwc.fill(address);
                    }
                } else if (op < 9) {
                    model.insert(key, 0, 0);
                    pwc.fill(address);
                } else if (r.nextInt(10) != 0) {
                    model.invalidate(key, 0);
                    pwc.invalidate(address);
                } else {
                    model.clear();
                    pwc.flush();
                }
            }
            assertEquals(hits, pwc.hits(), entries + " entries");
        }
    }

    @Test
    void nestedTlbsAnswerAsAnLruOfHostPages() {
        for (int entries : new int[] {0, 1, 16, 64, 65, 4096}) {
            NestedTlb ntlb = new NestedTlb(new WalkCacheConfig(entries, 1));
            ReferenceLru model = ReferenceLru.fullyAssociative(entries);
            RandomStream r = new RandomStream(entries + 1000);
            boolean anySmall = false;
            boolean anyLarge = false;
            for (int i = 0; i < 200_000; i++) {
                int vm = r.nextInt(3);
                long gpa = r.nextLong((2L * entries + 8) << 12) | r.nextInt(4096);
                String where = entries + " entries, operation " + i;
                if (r.nextInt(5) < 3) {
                    // The model of NestedTlb.lookup: the 4 KiB key, then the 2 MiB key, each only once filled.
                    long expected = LruArray.MISS;
                    long v = anySmall ? model.lookup((gpa >>> 12) << 8 | vm, 0) : LruArray.MISS;
                    if (v != LruArray.MISS) {
                        expected = (v & ~1L) | gpa & 0xFFF;
                    } else {
                        v = anyLarge ? model.lookup((gpa >>> 21) << 8 | 1 << 7 | vm, 0) : LruArray.MISS;
                        if (v != LruArray.MISS) {
                            expected = (v & ~1L) | gpa & 0x1F_FFFF;
                        }
                    }
                    assertEquals(expected, ntlb.lookup(gpa, vm), where);
                    if (expected != LruArray.MISS) {
                        assertEquals((v & 1) != 0, ntlb.lastHitWritable(), where);
                    }
                } else {
                    boolean large = r.nextInt(10) == 0;
                    PageSize size = large ? PageSize.SIZE_2M : PageSize.SIZE_4K;
                    long base = r.nextLong(1L << 40) & ~size.offsetMask();
                    boolean writable = r.nextInt(2) == 0;
                    long key = large ? (gpa >>> 21) << 8 | 1 << 7 | vm : (gpa >>> 12) << 8 | vm;
                    model.insert(key, 0, base | (writable ? 1 : 0));
                    ntlb.fill(gpa, vm, base, size, writable);
                    anySmall |= !large;
                    anyLarge |= large;
                }
            }
        }
    }
}
