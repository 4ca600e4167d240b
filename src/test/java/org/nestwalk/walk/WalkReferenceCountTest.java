package org.nestwalk.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.pagetable.IsptProbe;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.WalkProbe;
import org.nestwalk.workload.WorkloadSpec;

/**
 * The reference counts of reference/mechanisms.md, derived by hand: (g+1)(n+1) - 1 for a 2D walk with g guest and
 * n nested levels when nothing is cached, 4 for a native walk, and what the NTLB and PWC take away.
 */
class WalkReferenceCountTest {
    private static final long VA = 0x7f12_3456_7000L;
    /** "Cold" in the table's sense: no PWC, NTLB or TLB hits. */
    private static final String[] NO_WALK_CACHES = {"pwc.entries", "0", "ntlb.entries", "0"};

    private static Walk walk(String mode, String... settings) {
        return probe(mode, 1, settings).walks().get(0);
    }

    /** Walks VA {@code times} times in a row on a fresh machine with a small footprint. */
    private static WalkProbe.Result probe(String mode, int times, String... settings) {
        List<String> kv = new ArrayList<>(List.of("workload.footprint", "64KiB"));
        kv.addAll(List.of(settings));
        RunSpec spec = TestSpecs.spec(mode, "random", kv.toArray(String[]::new));
        List<Long> vas = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            vas.add(VA);
        }
        return WalkProbe.run(spec, 0, vas);
    }

    @Test
    void coldNativeWalkMakesFourReferences() {
        Walk w = walk("native", NO_WALK_CACHES);
        assertEquals(WalkOutcome.TRANSLATED, w.outcome());
        assertEquals(4, w.references());
        assertEquals(List.of(4, 3, 2, 1), w.steps().stream().map(WalkStep::level).toList());
        assertTrue(w.steps().stream().allMatch(s -> s.table() == TableKind.NATIVE));
    }

    @Test
    void coldNestedWalkMakes24References() {
        Walk w = walk("nested", NO_WALK_CACHES);
        assertEquals(WalkOutcome.TRANSLATED, w.outcome());
        assertEquals(24, w.references());
        assertEquals(4, w.references(TableKind.GUEST));
        assertEquals(20, w.references(TableKind.NESTED));
        // The order of mechanisms.md: a nested walk (levels 4..1) before each guest level, and one for the data gPA.
        List<String> expected = new ArrayList<>();
        for (int guest = 4; guest >= 0; guest--) {
            for (int nested = 4; nested >= 1; nested--) {
                expected.add("nested" + nested + "->" + guest);
            }
            if (guest > 0) {
                expected.add("guest" + guest);
            }
        }
        List<String> actual = w.steps().stream().map(s -> s.table() == TableKind.NESTED
                ? "nested" + s.level() + "->" + s.target() : "guest" + s.level()).toList();
        assertEquals(expected, actual);
        assertEquals(PageSize.SIZE_4K, w.pageSize());
    }

    @Test
    void coldFiveLevelNestedWalkMakes35References() {
        // LA57 in the guest and a 5-level nested table: (5+1)(5+1) - 1 = 35; an address above 2^47 uses all five
        // guest levels (level 5 indexed by bits 56..48).
        long va = 0x00f1_2345_6789_a000L;
        RunSpec spec = TestSpecs.spec("nested", "random", "workload.footprint", "64KiB", "pwc.entries", "0",
                "ntlb.entries", "0", "guest.pagingLevels", "5", "hypervisor.nestedLevels", "5");
        WalkProbe.Result r = WalkProbe.run(spec, 0, List.of(va));
        Walk w = r.walks().get(0);
        assertEquals(WalkOutcome.TRANSLATED, w.outcome());
        assertEquals(35, w.references());
        assertEquals(5, w.references(TableKind.GUEST));
        assertEquals(30, w.references(TableKind.NESTED));
        List<String> expected = new ArrayList<>();
        for (int guest = 5; guest >= 0; guest--) {
            for (int nested = 5; nested >= 1; nested--) {
                expected.add("nested" + nested + "->" + guest);
            }
            if (guest > 0) {
                expected.add("guest" + guest);
            }
        }
        assertEquals(expected, w.steps().stream().map(s -> s.table() == TableKind.NESTED
                ? "nested" + s.level() + "->" + s.target() : "guest" + s.level()).toList());
        assertEquals((long) r.softwareTranslations().get(0), w.physicalAddress());
    }

    @Test
    void fiveLevelsInOneDimensionOnlyMake29() {
        // (5+1)(4+1) - 1 = 29 and (4+1)(5+1) - 1 = 29.
        assertEquals(29, walk("nested", "pwc.entries", "0", "ntlb.entries", "0", "guest.pagingLevels", "5")
                .references());
        assertEquals(29, walk("nested", "pwc.entries", "0", "ntlb.entries", "0", "hypervisor.nestedLevels", "5")
                .references());
    }

    @Test
    void coldFiveLevelNativeAndShadowWalksMakeFive() {
        for (String mode : List.of("native", "shadow")) {
            Walk w = walk(mode, "pwc.entries", "0", "guest.pagingLevels", "5");
            assertEquals(5, w.references(), mode);
            assertEquals(List.of(5, 4, 3, 2, 1), w.steps().stream().map(WalkStep::level).toList(), mode);
        }
    }

    @Test
    void guestLargePagesLeaveNineteenReferences() {
        Walk w = walk("nested", "pwc.entries", "0", "ntlb.entries", "0", "guest.pageSize", "2MiB");
        assertEquals(19, w.references());
        assertEquals(3, w.references(TableKind.GUEST));
        // The TLB entry is min(guest 2 MiB, host 4 KiB).
        assertEquals(PageSize.SIZE_4K, w.pageSize());
    }

    @Test
    void hostLargePagesLeaveNineteenReferences() {
        Walk w = walk("nested", "pwc.entries", "0", "ntlb.entries", "0", "hypervisor.pageSize", "2MiB");
        assertEquals(19, w.references());
        assertEquals(15, w.references(TableKind.NESTED));
        assertEquals(PageSize.SIZE_4K, w.pageSize());
    }

    @Test
    void largePagesInBothDimensionsLeaveFifteenReferences() {
        Walk w = walk("nested", "pwc.entries", "0", "ntlb.entries", "0", "guest.pageSize", "2MiB",
                "hypervisor.pageSize", "2MiB");
        assertEquals(15, w.references());
        assertEquals(PageSize.SIZE_2M, w.pageSize());
    }

    @Test
    void nativeLargePageWalkMakesThreeReferences() {
        Walk w = walk("native", "pwc.entries", "0", "guest.pageSize", "2MiB");
        assertEquals(3, w.references());
        assertEquals(PageSize.SIZE_2M, w.pageSize());
    }

    @Test
    void coldFlatNestedWalkMakesNineReferences() {
        Walk w = walk("flat-nested", NO_WALK_CACHES);
        assertEquals(9, w.references());
        assertEquals(4, w.references(TableKind.GUEST));
        assertEquals(5, w.references(TableKind.FLAT));
        assertEquals(0, w.references(TableKind.NESTED));
        assertEquals(PageSize.SIZE_4K, w.pageSize());
    }

    @Test
    void flatNestedWithGuestLargePagesMakesSeven() {
        Walk w = walk("flat-nested", "pwc.entries", "0", "ntlb.entries", "0", "guest.pageSize", "2MiB");
        assertEquals(7, w.references());
    }

    @Test
    void flatNestedKeepsTwoMegabyteHostPagesInTheTlbEntry() {
        Walk w = walk("flat-nested", "pwc.entries", "0", "ntlb.entries", "0", "guest.pageSize", "2MiB",
                "hypervisor.pageSize", "2MiB");
        assertEquals(7, w.references());
        assertEquals(PageSize.SIZE_2M, w.pageSize());
    }

    @Test
    void coldShadowWalkMakesFourReferences() {
        Walk w = walk("shadow", NO_WALK_CACHES);
        assertEquals(4, w.references());
        assertEquals(4, w.references(TableKind.SHADOW));
        assertEquals(WalkOutcome.TRANSLATED, w.outcome());
    }

    @Test
    void specShadowWaitsForOneReferenceOnceTheIsptHasTheTranslation() {
        // The page was mapped before the walk (pages already present), so the ISPT holds it: one ISPT line on the
        // critical path, then the flat-nested walk (9 references, nothing cached) verifies it.
        Walk w = walk("spec-shadow", NO_WALK_CACHES);
        assertEquals(1, w.criticalReferences());
        assertEquals(TableKind.ISPT, w.steps().get(0).table());
        assertEquals(10, w.references());
        assertEquals(9, w.references(TableKind.GUEST) + w.references(TableKind.FLAT));
        assertTrue(w.criticalEnd() < w.endTime());
    }

    @Test
    void aClusteredIsptProbeIsExactlyOneLineRead() {
        for (String verify : new String[] {"parallel", "after-probe"}) {
            Walk w = walk("spec-shadow", "pwc.entries", "0", "ntlb.entries", "0", "ispt.layout", "clustered",
                    "spec.verify", verify);
            assertEquals(1, w.references(TableKind.ISPT), verify);
            assertEquals(1, w.criticalReferences(), verify);
            assertEquals(IsptProbe.HIT, w.isptProbe(), verify);
            WalkStep probe = w.steps().stream().filter(st -> st.table() == TableKind.ISPT).findFirst().orElseThrow();
            assertEquals(0, probe.address() % 64, "the probe reads a whole 64-byte line");
            assertTrue(probe.critical());
            assertEquals(9, w.references(TableKind.GUEST) + w.references(TableKind.FLAT), verify);
        }
    }

    @Test
    void neighbouringPagesShareAClusteredIsptLineButNotAHashedOne() {
        // A cold walk of 8 consecutive pages (one block): the clustered table reads the same line for each.
        for (String layout : new String[] {"clustered", "hashed"}) {
            WalkProbe.Result r = WalkProbe.run(TestSpecs.spec("spec-shadow", "random", "workload.footprint",
                    "64KiB", "ispt.layout", layout), 0, LongStream.range(0, 8)
                    .mapToObj(i -> WorkloadSpec.BASE_ADDRESS + (i << 12)).toList());
            Set<Long> lines = new HashSet<>();
            for (Walk w : r.walks()) {
                lines.add(w.steps().stream().filter(st -> st.table() == TableKind.ISPT).findFirst().orElseThrow()
                        .address());
            }
            assertEquals(layout.equals("clustered") ? 1 : 8, lines.size(), layout);
        }
    }

    @Test
    void ntlbHitSkipsTheNestedWalk() {
        // The first walk fills the NTLB with the five gPA translations; the second finds all of them there.
        WalkProbe.Result r = probe("nested", 2, "pwc.entries", "0");
        Walk second = r.walks().get(1);
        assertEquals(4, second.references());
        assertEquals(4, second.references(TableKind.GUEST));
        assertEquals(5, second.servedBy(ServedBy.NTLB));
        assertEquals(0, second.references(TableKind.NESTED));
    }

    @Test
    void pwcAndNtlbHitsLeaveOnlyTheGuestLeaf() {
        WalkProbe.Result r = probe("nested", 2);
        Walk second = r.walks().get(1);
        assertEquals(1, second.references());
        assertEquals(3, second.servedBy(ServedBy.PWC));
        WalkStep leaf = second.steps().stream().filter(s -> s.servedBy().isMemoryReference()).findFirst().get();
        assertEquals(TableKind.GUEST, leaf.table());
        assertEquals(1, leaf.level());
    }

    @Test
    void pwcNeverHoldsLeaves() {
        // Two walks of a native 4 KiB page: the level-1 entry must be read from memory both times.
        WalkProbe.Result r = probe("native", 2);
        Walk second = r.walks().get(1);
        assertEquals(List.of(ServedBy.PWC, ServedBy.PWC, ServedBy.PWC), second.steps().subList(0, 3).stream()
                .map(WalkStep::servedBy).toList());
        assertTrue(second.steps().get(3).servedBy().isMemoryReference());
    }

    @Test
    void intelPagingStructureCachesSkipTheUpperLevels() {
        // The second native walk finds the PDE for VA's prefix: one probe step, then the level-1 entry.
        Walk second = probe("native", 2, "pwc.kind", "intel").walks().get(1);
        assertEquals(List.of("PWC L2", "L1 L1"), second.steps().stream().map(s -> s.servedBy() + " L" + s.level())
                .toList());
        assertEquals(1, second.references());
        // The AMD-style PWC spares the same references but probes once per upper level.
        Walk amd = probe("native", 2).walks().get(1);
        assertEquals(1, amd.references());
        assertEquals(4, amd.steps().size());
        assertTrue(second.latency() < amd.latency());
    }

    @Test
    void underEptTheGuestDimensionsCacheAlsoSkipsTheNestedTranslations() {
        // Second 2D walk: the combined PDE cache gives the guest L1 table's system-physical address, so gCR3's and
        // the upper tables' nested translations are skipped too; the data page's is an NTLB hit.
        Walk second = probe("nested", 2, "pwc.kind", "intel").walks().get(1);
        assertEquals(List.of("guest PWC", "guest L1", "nested NTLB"), second.steps().stream()
                .map(s -> s.table().label() + " " + s.servedBy()).toList());
        assertEquals(1, second.references());
        // Without the NTLB, the data page's nested walk starts below the nested PDE cache's entry.
        Walk noNtlb = probe("nested", 2, "pwc.kind", "intel", "ntlb.entries", "0").walks().get(1);
        assertEquals(List.of("guest PWC", "guest L1", "nested PWC", "nested L1"), noNtlb.steps().stream()
                .map(s -> s.table().label() + " " + s.servedBy()).toList());
        assertEquals(2, noNtlb.references());
    }

    @Test
    void coldCachesServeEveryFirstTouchOfALineFromDram() {
        Walk w = walk("native", NO_WALK_CACHES);
        assertTrue(w.steps().stream().allMatch(s -> s.servedBy() == ServedBy.DRAM));
        assertEquals(4, w.servedBy(ServedBy.DRAM));
    }

    @Test
    void everyWalkAgreesWithTheTablesReadBySoftware() {
        List<Long> vas = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
            vas.add(0x7f00_0000_0000L + i * 0x2_3456_1000L % (1L << 30) + 8 * i);
        }
        for (String mode : List.of("native", "nested", "flat-nested", "shadow", "spec-shadow")) {
            for (String[] sizes : List.of(new String[] {"guest.pageSize", "4KiB", "hypervisor.pageSize", "4KiB"},
                    new String[] {"guest.pageSize", "2MiB", "hypervisor.pageSize", "4KiB"},
                    new String[] {"guest.pageSize", "4KiB", "hypervisor.pageSize", "2MiB"})) {
                RunSpec spec = TestSpecs.spec(mode, "random", "workload.footprint", "1GiB",
                        "workload.prefault", "false", sizes[0], sizes[1], sizes[2], sizes[3]);
                WalkProbe.Result r = WalkProbe.run(spec, 0, vas);
                for (int i = 0; i < vas.size(); i++) {
                    Walk w = r.walks().get(i);
                    assertEquals(WalkOutcome.TRANSLATED, w.outcome());
                    assertEquals((long) r.softwareTranslations().get(i), w.physicalAddress(),
                            mode + " " + String.join(" ", sizes) + " va " + Long.toHexString(vas.get(i)));
                }
            }
        }
    }

    @Test
    void walkerCountersMatchTheWalksShown() {
        WalkProbe.Result r = probe("nested", 3);
        long refs = r.walks().stream().mapToLong(Walk::references).sum();
        assertEquals(3, r.counters().walks());
        assertEquals(refs, r.counters().references());
        long guest = r.walks().stream().mapToLong(w -> w.references(TableKind.GUEST)).sum();
        assertEquals(guest, r.counters().references(TableKind.GUEST));
    }
}
