package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.cli.Main;
import org.nestwalk.experiment.Analysis.ConfigurationSummary;
import org.nestwalk.walk.ModeKind;

/**
 * The quick variant of every shipped experiment, run end to end through the command line, with the mechanisms'
 * invariants checked on its results.
 */
class ShippedExperimentsTest {

    private static Analysis runQuick(String name, Path out) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"run", "experiments/" + name + ".yaml", "--quick", "--out",
                out.toString(), "--jobs", "2"}, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        assertEquals(0, code, e.toString(StandardCharsets.UTF_8));
        for (String f : new String[] {"runs.csv", "summary.csv", "summary.json", "manifest.csv", "README.md"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        try (var plots = Files.list(out.resolve("plots"))) {
            assertTrue(plots.anyMatch(p -> p.getFileName().toString().matches("runtime-over-[a-z-]+.*\\.png")),
                    "a runtime chart named after its baseline");
        }
        Manifest m = Manifest.expand(new ResultsDirectory(out).load());
        Analysis a = Analysis.of(m, new RowStore(out));
        for (ConfigurationSummary s : a.configurations()) {
            assertEquals(m.experiment().replications().min(), s.n(), s.configuration().id());
            assertEquals(0, s.failed());
        }
        return a;
    }

    private static double mean(Analysis a, ModeKind mode, String workload, String factors, String metric) {
        for (ConfigurationSummary s : a.configurations()) {
            Configuration c = s.configuration();
            if (c.mode() == mode && c.workload().equals(workload) && c.factorText().equals(factors)) {
                return s.metrics().get(metric).mean();
            }
        }
        throw new AssertionError("no configuration " + mode + "/" + workload + "/" + factors);
    }

    @Test
    void paperHeadline(@TempDir Path out) throws Exception {
        Analysis a = runQuick("paper-headline", out);
        for (String walkers : new String[] {"mmu.walkers=1", "mmu.walkers=4"}) {
            for (String w : new String[] {"gups", "fork-heavy"}) {
                assertTrue(mean(a, ModeKind.FLAT_NESTED, w, walkers, "refsPerWalk")
                        < mean(a, ModeKind.NESTED, w, walkers, "refsPerWalk"), w + ": flat tables shorten 2D walks");
                assertTrue(mean(a, ModeKind.SPEC_SHADOW, w, walkers, "criticalRefsPerWalk")
                        < mean(a, ModeKind.NESTED, w, walkers, "criticalRefsPerWalk"),
                        w + ": speculation shortens the wait");
            }
            assertEquals(1.0, mean(a, ModeKind.SPEC_SHADOW, "gups", walkers, "criticalRefsPerWalk"), 0.01,
                    "without page-table updates every walk is one ISPT reference long for the vCPU");
            assertTrue(mean(a, ModeKind.SHADOW, "fork-heavy", walkers, "vmExits") > 0,
                    "forks make shadow paging exit");
            assertTrue(mean(a, ModeKind.SHADOW, "fork-heavy", walkers, "hypervisorShare")
                    > mean(a, ModeKind.NESTED, "fork-heavy", walkers, "hypervisorShare"),
                    "shadow paging pays the hypervisor for the guest's page-table updates");
        }
        assertTrue(mean(a, ModeKind.NESTED, "gups", "mmu.walkers=4", "cycles")
                < mean(a, ModeKind.NESTED, "gups", "mmu.walkers=1", "cycles"), "gups' misses are independent");
        assertTrue(Files.readString(out.resolve("README.md")).contains("published (Ahn et al. 2012)"));
    }

    @Test
    void walkers(@TempDir Path out) throws Exception {
        Analysis a = runQuick("walkers", out);
        for (ModeKind m : new ModeKind[] {ModeKind.NESTED, ModeKind.FLAT_NESTED, ModeKind.SPEC_SHADOW}) {
            double one = mean(a, m, "gups", "mmu.walkers=1", "cycles");
            double four = mean(a, m, "gups", "mmu.walkers=4", "cycles");
            assertTrue(four < one, m + ": independent misses keep several walkers busy, " + four + " vs " + one);
            assertTrue(mean(a, m, "gups", "mmu.walkers=4", "walkQueueDelay")
                    < mean(a, m, "gups", "mmu.walkers=1", "walkQueueDelay"), m + ": less queueing");
        }
        for (ModeKind m : new ModeKind[] {ModeKind.NESTED, ModeKind.FLAT_NESTED}) {
            assertEquals(mean(a, m, "mcf-like", "mmu.walkers=1", "cycles"),
                    mean(a, m, "mcf-like", "mmu.walkers=4", "cycles"), m + ": a pointer chase never has two walks");
        }
    }

    @Test
    void smp(@TempDir Path out) throws Exception {
        Analysis a = runQuick("smp", out);
        for (ModeKind m : new ModeKind[] {ModeKind.NESTED, ModeKind.SHADOW}) {
            assertEquals(0.0, mean(a, m, "shootdown-heavy", "machine.vcpus=1", "shootdowns"), 1e-9,
                    m + ": threads on one vCPU need no shootdown");
            assertTrue(mean(a, m, "shootdown-heavy", "machine.vcpus=4", "shootdowns") > 0, m.label());
            assertEquals(0.0, mean(a, m, "shootdown-free", "machine.vcpus=4", "shootdowns"), 1e-9, m.label());
        }
        // Under shadow paging each target's INVLPG exits and takes the shadow lock: a shootdown waits longer.
        assertTrue(mean(a, ModeKind.SHADOW, "shootdown-heavy", "machine.vcpus=4", "cyclesPerShootdown")
                > mean(a, ModeKind.NESTED, "shootdown-heavy", "machine.vcpus=4", "cyclesPerShootdown"));
    }

    @Test
    void consolidation(@TempDir Path out) throws Exception {
        Analysis a = runQuick("consolidation", out);
        for (ModeKind m : new ModeKind[] {ModeKind.NESTED, ModeKind.FLAT_NESTED, ModeKind.SPEC_SHADOW}) {
            double alone = mean(a, m, "canneal-like", "machine.vms=1", "cycles");
            assertEquals(alone, mean(a, m, "canneal-like", "machine.vms=1", "firstVmCycles"), 1e-9, m.label());
            assertTrue(mean(a, m, "canneal-like", "machine.vms=4", "firstVmCycles") > alone,
                    m + ": three other VMs slow the first one down");
            assertTrue(mean(a, m, "canneal-like", "machine.vms=4", "dramQueueDelay")
                    > mean(a, m, "canneal-like", "machine.vms=1", "dramQueueDelay"), m.label());
        }
    }

    @Test
    void isptLayout(@TempDir Path out) throws Exception {
        Analysis a = runQuick("ispt-layout", out);
        // A sequential sweep: 8 consecutive pages share one clustered line, a hashed table spreads them.
        String clustered = "ispt.layout=clustered, ispt.entries=1048576";
        String hashed = "ispt.layout=hashed, ispt.entries=1048576";
        assertTrue(mean(a, ModeKind.SPEC_SHADOW, "stream", clustered, "dramPerWalk")
                < mean(a, ModeKind.SPEC_SHADOW, "stream", hashed, "dramPerWalk"));
        assertEquals(1.0, mean(a, ModeKind.SPEC_SHADOW, "gups", clustered, "isptHitRate"), 1e-9,
                "a clustered table with a line for every block of the footprint never conflicts");
        assertEquals(1.0, mean(a, ModeKind.SPEC_SHADOW, "gups", clustered, "isptRefsPerWalk"), 1e-9,
                "one line per probe");
    }

    @Test
    void schemes(@TempDir Path out) throws Exception {
        Analysis a = runQuick("schemes", out);
        for (String w : new String[] {"random", "gcc-like", "fork-heavy"}) {
            assertEquals(1.0, mean(a, ModeKind.POM_TLB, w, "", "pomTlbRefsPerWalk"), 1e-9,
                    w + ": with 4 KiB pages every walk makes exactly one POM-TLB probe");
            assertTrue(mean(a, ModeKind.HASHED_NESTED, w, "", "nestedRefsPerWalk")
                    > mean(a, ModeKind.NESTED, w, "", "nestedRefsPerWalk"), w + ": d lines per nested translation");
        }
        // Without page-table writes nothing moves to nested mode, and agile paging walks as shadow paging does.
        assertEquals(0.0, mean(a, ModeKind.AGILE, "random", "", "agileToNested"), 1e-9);
        assertEquals(mean(a, ModeKind.SHADOW, "random", "", "refsPerWalk"),
                mean(a, ModeKind.AGILE, "random", "", "refsPerWalk"), 1e-9);
        // With them, the pages the guest writes go nested and most writes no longer trap.
        assertTrue(mean(a, ModeKind.AGILE, "gcc-like", "", "agileToNested") > 0);
        assertTrue(mean(a, ModeKind.AGILE, "gcc-like", "", "exits.pt-write")
                < mean(a, ModeKind.SHADOW, "gcc-like", "", "exits.pt-write"));
    }

    @Test
    void tlbSweep(@TempDir Path out) throws Exception {
        Analysis a = runQuick("tlb-sweep", out);
        for (ModeKind m : new ModeKind[] {ModeKind.NATIVE, ModeKind.NESTED, ModeKind.FLAT_NESTED}) {
            double small = mean(a, m, "zipf", "tlb.l2.entries=256", "l2TlbMissRate");
            double middle = mean(a, m, "zipf", "tlb.l2.entries=1024", "l2TlbMissRate");
            double large = mean(a, m, "zipf", "tlb.l2.entries=4096", "l2TlbMissRate");
            assertTrue(small > middle && middle > large, m + ": " + small + ", " + middle + ", " + large);
        }
        assertTrue(Files.exists(out.resolve("plots/translationShare-vs-tlb.l2.entries-zipf.svg")));
    }

    @Test
    void pwcNtlbSweep(@TempDir Path out) throws Exception {
        Analysis a = runQuick("pwc-ntlb-sweep", out);
        for (String pwc : new String[] {"8", "64"}) {
            double without = mean(a, ModeKind.NESTED, "gups", "pwc.entries=" + pwc + ", ntlb.entries=0",
                    "refsPerWalk");
            double with = mean(a, ModeKind.NESTED, "gups", "pwc.entries=" + pwc + ", ntlb.entries=64",
                    "refsPerWalk");
            assertTrue(with < without, "an NTLB removes nested references: " + with + " vs " + without);
        }
        assertTrue(Files.exists(out.resolve("plots/translationShare-vs-pwc.entries-gups.png")));
    }
}
