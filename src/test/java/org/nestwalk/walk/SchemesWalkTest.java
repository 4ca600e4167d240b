package org.nestwalk.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.sim.Machine;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.WalkProbe;

/**
 * The walks of the schemes that came after the paper, counted by hand: a hashed nested dimension with d ways, a
 * part-of-memory TLB in front of the 2D walk, and agile paging between shadow and nested.
 */
class SchemesWalkTest {
    private static final long VA = 0x7f12_3456_7000L;
    /** Nothing cached that would take references away: no PWC, no NTLB, no cuckoo walk cache. */
    private static final String[] COLD = {"pwc.entries", "0", "ntlb.entries", "0", "mmu.cwcEntries", "0"};

    private static WalkProbe.Result probe(String mode, int times, Consumer<Machine> prepare, String... settings) {
        List<String> kv = new ArrayList<>(List.of("workload.footprint", "64KiB"));
        kv.addAll(List.of(settings));
        RunSpec spec = TestSpecs.spec(mode, "random", kv.toArray(String[]::new));
        List<Long> vas = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            vas.add(VA);
        }
        return WalkProbe.run(spec, 0, vas, prepare);
    }

    private static Walk walk(String mode, String... settings) {
        return probe(mode, 1, m -> { }, settings).walks().get(0);
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void aHashedNestedDimensionWithDWaysMakesDReferencesPerNestedTranslation() {
        for (int d = 2; d <= 4; d++) {
            Walk w = walk("hashed-nested", with(COLD, "hypervisor.cuckooWays", Integer.toString(d)));
            assertEquals(WalkOutcome.TRANSLATED, w.outcome());
            assertEquals(4 + 5 * d, w.references(), "d = " + d);
            assertEquals(4, w.references(TableKind.GUEST));
            assertEquals(5 * d, w.references(TableKind.HASHED));
            // Each nested translation reads way 1..d, in one group: the first issued alone, the rest with it.
            List<WalkStep> hashed = w.steps().stream().filter(s -> s.table() == TableKind.HASHED).toList();
            for (int i = 0; i < hashed.size(); i++) {
                assertEquals(i % d + 1, hashed.get(i).level(), "the way, d = " + d);
                assertEquals(i % d != 0, hashed.get(i).withPrevious(), "issued together, d = " + d);
            }
        }
    }

    @Test
    void theDWaysAreIssuedTogetherSoATranslationCostsOneAccessNotD() {
        Walk w = walk("hashed-nested", with(COLD, "hypervisor.cuckooWays", "4"));
        List<WalkStep> steps = w.steps();
        long expectedEnd = 0;
        int i = 0;
        while (i < steps.size()) {
            // A link of the walk: one step, or a group of steps issued together.
            int j = i + 1;
            while (j < steps.size() && steps.get(j).withPrevious()) {
                j++;
            }
            long start = steps.get(i).start();
            assertEquals(expectedEnd, start, "each link starts when the previous one ended (step " + (i + 1) + ")");
            long longest = 0;
            long sum = 0;
            for (int k = i; k < j; k++) {
                assertEquals(start, steps.get(k).start(), "the members of a group start together");
                longest = Math.max(longest, steps.get(k).latency());
                sum += steps.get(k).latency();
            }
            if (j - i > 1) {
                assertTrue(longest < sum, "a group costs its slowest member, not the sum");
            }
            expectedEnd = start + longest;
            i = j;
        }
        assertEquals(expectedEnd, w.latency(), "the walk ends when its last link does");
        // Nine dependent links: gCR3's translation, then four guest entries each followed by a translation.
        long links = steps.stream().filter(s -> !s.withPrevious()).count();
        assertEquals(9, links);
        // Chained one after the other, the same references would have taken the sum of their latencies.
        long chained = steps.stream().mapToLong(WalkStep::latency).sum();
        assertTrue(w.latency() < chained, w.latency() + " cycles, chained " + chained);
    }

    @Test
    void theCuckooWalkCacheNarrowsATranslationToTheOneWayThatHoldsIt() {
        // Without the NTLB the second walk translates the same five addresses again; the cache knows their ways.
        WalkProbe.Result r = probe("hashed-nested", 2, m -> { }, "pwc.entries", "0", "ntlb.entries", "0",
                "hypervisor.cuckooWays", "3");
        Walk second = r.walks().get(1);
        assertEquals(4 + 5, second.references());
        assertTrue(second.steps().stream().noneMatch(WalkStep::withPrevious));
    }

    @Test
    void aColdPomTlbWalkIsTheProbeAndThe2dWalkAndAHitIsOneReference() {
        // A POM-TLB that starts empty: the first walk misses it, the second finds what the first filled in.
        WalkProbe.Result r = probe("pom-tlb", 2, m -> { }, "pwc.entries", "0", "ntlb.entries", "0",
                "tlb.pomWarm", "false");
        Walk cold = r.walks().get(0);
        assertEquals(25, cold.references());
        assertEquals(1, cold.references(TableKind.POM_TLB));
        assertEquals(TableKind.POM_TLB, cold.steps().get(0).table());
        assertEquals(0, cold.steps().get(0).address() % 64, "a probe reads one 64-byte line: a set of 4 entries");
        Walk hit = r.walks().get(1);
        assertEquals(WalkOutcome.TRANSLATED, hit.outcome());
        assertEquals(1, hit.references());
        assertEquals(1, hit.steps().size(), "no walk behind the hit");
        assertEquals(TableKind.POM_TLB, hit.steps().get(0).table());
        assertEquals(cold.physicalAddress(), hit.physicalAddress());
        assertEquals(cold.steps().get(0).address(), hit.steps().get(0).address(), "the same set");
    }

    @Test
    void aPomTlbHoldsThePagesAlreadyPresentAsTheIsptDoes() {
        Walk w = walk("pom-tlb", COLD);
        assertEquals(1, w.references());
        assertEquals(1, w.steps().size());
        assertEquals(TableKind.POM_TLB, w.steps().get(0).table());
    }

    @Test
    void agileWithEveryLevelShadowedWalksAsShadowPaging() {
        Walk agile = walk("agile", COLD);
        Walk shadow = walk("shadow", COLD);
        assertEquals(4, agile.references());
        assertEquals(4, agile.references(TableKind.SHADOW));
        assertEquals(shadow.steps().stream().map(s -> s.table() + " L" + s.level()).toList(),
                agile.steps().stream().map(s -> s.table() + " L" + s.level()).toList());
        assertEquals(shadow.pageSize(), agile.pageSize());
    }

    @Test
    void agileWithEveryLevelNestedWalksAsNestedPaging() {
        WalkProbe.Result r = probe("agile", 1, m -> { }, with(COLD, "hypervisor.agileStart", "nested"));
        Walk agile = r.walks().get(0);
        Walk nested = walk("nested", COLD);
        assertEquals(24, agile.references());
        assertEquals(nested.steps().stream().map(s -> s.table() + " L" + s.level() + "->" + s.target()).toList(),
                agile.steps().stream().map(s -> s.table() + " L" + s.level() + "->" + s.target()).toList());
        assertEquals((long) r.softwareTranslations().get(0), agile.physicalAddress());
    }

    @Test
    void agileNestedFromGcr3OnUsesTheWalkCachesAsNestedPagingDoes() {
        // On the modern machine's paging-structure caches too: the second walk of the same page is nested paging's.
        for (String psc : List.of("amd", "intel")) {
            List<Walk> agile = probe("agile", 2, m -> { }, "hypervisor.agileStart", "nested", "pwc.kind", psc).walks();
            List<Walk> nested = probe("nested", 2, m -> { }, "pwc.kind", psc).walks();
            for (int i = 0; i < 2; i++) {
                assertEquals(nested.get(i).steps().stream().map(s -> s.table() + " L" + s.level() + " "
                        + s.servedBy()).toList(), agile.get(i).steps().stream().map(s -> s.table() + " L"
                        + s.level() + " " + s.servedBy()).toList(), psc + " walk " + i);
            }
        }
    }

    @Test
    void agileSwitchesBelowTheLeafTableOnceTheGuestWritesItTwice() {
        // Two stores to new pages beside VA (only VA is mapped): each maps a page, a write to VA's leaf table that
        // the hypervisor traps; at the second (hypervisor.agileWrites = 2) the table goes nested. The walk reads the
        // shadow's L4, L3 and L2 entries, the last a switch entry pointing at the guest's leaf table, then the
        // guest's L1 entry and the nested walk of the data page: 3 + 1 + 4 = 8.
        WalkProbe.Result r = probe("agile", 1, m -> {
            HandlerWork work = new HandlerWork();
            m.guest().pageFault(VA + 0x1000, true, work);
            m.guest().pageFault(VA + 0x2000, true, work);
        }, with(COLD, "workload.prefault", "false"));
        Walk w = r.walks().get(0);
        assertEquals(WalkOutcome.TRANSLATED, w.outcome());
        assertEquals(8, w.references());
        assertEquals(List.of("shadow L4", "shadow L3", "shadow L2", "guest L1", "nested L4", "nested L3",
                "nested L2", "nested L1"), w.steps().stream().map(s -> s.table().label() + " L" + s.level()).toList());
        assertEquals((long) r.softwareTranslations().get(0), w.physicalAddress());
    }

    @Test
    void everyNewSchemeAgreesWithTheTablesReadBySoftware() {
        List<Long> vas = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
            vas.add(0x7f00_0000_0000L + i * 0x2_3456_1000L % (1L << 30) + 8 * i);
        }
        for (String mode : List.of("hashed-nested", "pom-tlb", "agile")) {
            for (String[] sizes : List.of(new String[] {"guest.pageSize", "4KiB", "hypervisor.pageSize", "4KiB"},
                    new String[] {"guest.pageSize", "2MiB", "hypervisor.pageSize", "4KiB"},
                    new String[] {"guest.pageSize", "4KiB", "hypervisor.pageSize", "2MiB"},
                    new String[] {"guest.pageSize", "2MiB", "hypervisor.pageSize", "2MiB"})) {
                for (String psc : List.of("amd", "intel")) {
                    RunSpec spec = TestSpecs.spec(mode, "random", "workload.footprint", "1GiB",
                            "workload.prefault", "false", sizes[0], sizes[1], sizes[2], sizes[3], "pwc.kind", psc);
                    // Each address twice: the second walk goes through whatever the first left in the caches.
                    List<Long> twice = new ArrayList<>(vas);
                    twice.addAll(vas);
                    WalkProbe.Result r = WalkProbe.run(spec, 0, twice);
                    for (int i = 0; i < twice.size(); i++) {
                        Walk w = r.walks().get(i);
                        assertEquals(WalkOutcome.TRANSLATED, w.outcome());
                        assertEquals((long) r.softwareTranslations().get(i), w.physicalAddress(),
                                mode + " " + psc + " " + String.join(" ", sizes) + " va "
                                        + Long.toHexString(twice.get(i)));
                    }
                }
            }
        }
    }

    @Test
    void agileWalksThroughSwitchEntriesAgreeWithTheTablesReadBySoftware() {
        // Demand paging writes the page tables while the workload warms the machine up, so the policy nests pages;
        // the walks of the pages mapped before it started then cross switch entries, with either walk cache.
        List<Long> vas = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
            vas.add(0x7f00_0000_0000L + i * 0x2_3456_1000L % (1L << 30) + 8 * i);
        }
        for (String psc : List.of("amd", "intel")) {
            List<Long> twice = new ArrayList<>(vas);
            twice.addAll(vas);
            WalkProbe.Result r = WalkProbe.run(TestSpecs.spec("agile", "random", "workload.prefault", "false",
                    "pwc.kind", psc), 100_000, twice);
            long switched = r.walks().stream().filter(w -> w.references(TableKind.GUEST) > 0).count();
            assertTrue(switched > 0, psc + ": no walk crossed a switch entry");
            for (int i = 0; i < twice.size(); i++) {
                Walk w = r.walks().get(i);
                assertEquals(WalkOutcome.TRANSLATED, w.outcome());
                assertEquals((long) r.softwareTranslations().get(i), w.physicalAddress(),
                        psc + " va " + Long.toHexString(twice.get(i)));
            }
        }
    }

    @Test
    void walkerCountersMatchTheWalksShownForEveryNewScheme() {
        for (String mode : List.of("hashed-nested", "pom-tlb", "agile")) {
            WalkProbe.Result r = probe(mode, 3, m -> { }, "tlb.pomWarm", "false");
            long refs = r.walks().stream().mapToLong(Walk::references).sum();
            assertEquals(3, r.counters().walks(), mode);
            assertEquals(refs, r.counters().references(), mode);
        }
    }
}
