package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.TestSpecs;
import org.nestwalk.config.ConfigException;
import org.nestwalk.report.Metrics;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;

/** VMs that run workloads of their own, their solo runs, and the per-VM figures. */
class VmWorkloadsTest {
    @Test
    void aVmRunsItsOwnPresetExactlyAsItDoesAloneWhenNothingIsShared() {
        // Partitioned LLC and DRAM: VM 1 running gups beside a zipf VM does what gups does alone as VM 1 on a
        // machine of its slice (the exactness of SeveralVmsTest, with different programs in the two VMs).
        for (String mode : new String[] {"nested", "flat-nested", "shadow", "spec-shadow"}) {
            RunResult pair = Simulation.run(TestSpecs.spec(mode, "zipf", 100_000, 20_000, 5, "machine.vms", "2",
                    "machine.vmWorkloads", "-,gups", "llc.partition", "vm", "dram.partition", "vm",
                    "workload.footprint", "16MiB"));
            RunResult gupsAlone = Simulation.run(TestSpecs.spec(mode, "zipf", 100_000, 20_000, 5, "machine.vms",
                    "1", "machine.vmOffset", "1", "machine.vmWorkloads", "gups", "llc.size", "4MiB", "memory.host",
                    "8GiB", "workload.footprint", "16MiB"));
            CpuSnapshot together = pair.interval().vcpus().get(1);
            CpuSnapshot alone = gupsAlone.interval().vcpus().get(0);
            assertEquals(alone.time(), together.time(), mode + ": cycles");
            assertEquals(alone.cpu().stores(), together.cpu().stores(), mode);
            assertEquals(alone.cpu().tlbMisses(), together.cpu().tlbMisses(), mode);
            // And the two VMs do run different programs: gups misses the TLB on nearly every reference.
            CpuSnapshot zipf = pair.interval().vcpus().get(0);
            assertTrue(together.cpu().tlbMisses() > 2 * zipf.cpu().tlbMisses(),
                    together.cpu().tlbMisses() + " gups TLB misses, " + zipf.cpu().tlbMisses() + " zipf");
        }
    }

    @Test
    void aloneRunsAreTheVmsSoloRunsAndGiveEachItsSlowdown() {
        RunResult r = Simulation.run(TestSpecs.spec("nested", "zipf", 60_000, 20_000, 9, "machine.vms", "2",
                "machine.vmWorkloads", "-,gups", "machine.aloneRuns", "true", "workload.footprint", "16MiB"));
        assertEquals(2, r.aloneCycles().size());
        RunResult first = Simulation.run(TestSpecs.spec("nested", "zipf", 60_000, 20_000, 9,
                "workload.footprint", "16MiB"));
        RunResult second = Simulation.run(TestSpecs.spec("nested", "zipf", 60_000, 20_000, 9, "machine.vmOffset",
                "1", "machine.vmWorkloads", "gups", "workload.footprint", "16MiB"));
        assertEquals(first.cycles(), r.aloneCycles().get(0), "VM 0 alone is the one-VM run");
        assertEquals(second.cycles(), r.aloneCycles().get(1), "VM 1 alone is VM 1 on a machine of its own");
        Map<String, Double> m = Metrics.perVm(r);
        for (int v = 0; v < 2; v++) {
            assertEquals((double) r.interval().vmCycles(v), m.get("vm" + v + ".cycles"));
            assertEquals((double) r.interval().vmCycles(v) / r.aloneCycles().get(v), m.get("vm" + v + ".slowdown"),
                    1e-12);
            // Sharing the LLC and the memory controller costs each VM something here.
            assertTrue(m.get("vm" + v + ".slowdown") > 1, "VM " + v + ": " + m.get("vm" + v + ".slowdown"));
        }
        assertTrue(Metrics.perVm(first).isEmpty(), "one VM: its figures are the run's");
        RunResult without = Simulation.run(TestSpecs.spec("nested", "zipf", 60_000, 20_000, 9, "machine.vms", "2",
                "machine.vmWorkloads", "-,gups", "workload.footprint", "16MiB"));
        assertTrue(Double.isNaN(Metrics.perVm(without).get("vm1.slowdown")), "no solo runs, no slowdown");
        assertEquals(r.interval().vmCycles(1), without.interval().vmCycles(1), "solo runs change nothing else");
    }

    @Test
    void badEntriesAreRefusedNamingTheKey() {
        String[][] bad = {{"2", "-"}, {"2", "-,-,-"}, {"2", "-,,"}, {"2", "-,nosuch"}, {"1", "gups,"}};
        for (String[] b : bad) {
            ConfigException e = assertThrows(ConfigException.class, () -> Simulation.run(TestSpecs.spec("nested",
                    "zipf", 10_000, 0, 1, "machine.vms", b[0], "machine.vmWorkloads", b[1])), b[1]);
            assertTrue(e.getMessage().contains("machine.vmWorkloads"), e.getMessage());
        }
    }

    @Test
    void aVmReplaysATraceOfItsOwnExactlyAsItDoesAlone(@TempDir Path dir) {
        Path trace = dir.resolve("sweep.trace");
        try (TraceWriter w = TraceWriter.create(trace, TraceHeader.of("test", List.of("sweep")))) {
            // Four passes over 2 MiB, a store every fourth reference: 131,072 references.
            for (int pass = 0; pass < 4; pass++) {
                for (long a = 0; a < (2L << 20); a += 64) {
                    w.reference(2, 0x4000_0000L + a, 8, (a & 0xff) == 0);
                }
            }
            w.finish(0);
        }
        String entry = "trace:" + trace;
        RunResult pair = Simulation.run(TestSpecs.spec("nested", "zipf", 100_000, 20_000, 3, "machine.vms", "2",
                "machine.vmWorkloads", "-," + entry, "llc.partition", "vm", "dram.partition", "vm",
                "workload.footprint", "16MiB"));
        RunResult alone = Simulation.run(TestSpecs.spec("nested", "zipf", 100_000, 20_000, 3, "machine.vmOffset",
                "1", "machine.vmWorkloads", entry, "llc.size", "4MiB", "memory.host", "8GiB",
                "workload.footprint", "16MiB"));
        CpuSnapshot together = pair.interval().vcpus().get(1);
        CpuSnapshot solo = alone.interval().vcpus().get(0);
        assertEquals(80_000, together.cpu().references());
        assertEquals(20_000, together.cpu().stores(), "a store every fourth reference of the trace");
        assertEquals(solo.time(), together.time());
        assertEquals(solo.cpu().tlbMisses(), together.cpu().tlbMisses());
        assertArrayEquals(solo.cacheMisses(), together.cacheMisses());
        assertEquals(List.of("zipf", "sweep.trace"), VmWorkloads.names(pair.spec().settings(), "zipf"));
        ConfigException e = assertThrows(ConfigException.class, () -> TestSpecs.spec("nested", "zipf", 1000, 0, 1,
                "machine.vms", "2", "machine.vmWorkloads", "-,trace:"));
        assertTrue(e.getMessage().contains("machine.vmWorkloads") && e.getMessage().contains("trace:FILE"),
                e.getMessage());
    }

    @Test
    void aNeighbourThatRunsOnKeepsBusyAndEachVmIsStillMeasuredAsAlone() {
        // Partitioned: each VM's own interval is exactly its solo run's, whether or not the other runs on after it.
        RunResult on = Simulation.run(TestSpecs.spec("nested", "zipf", 60_000, 20_000, 7, "machine.vms", "2",
                "machine.vmWorkloads", "-,stream", "machine.runOn", "true", "llc.partition", "vm", "dram.partition",
                "vm", "workload.footprint", "16MiB"));
        for (int v = 0; v < 2; v++) {
            RunResult alone = Simulation.run(TestSpecs.spec("nested", "zipf", 60_000, 20_000, 7, "machine.vmOffset",
                    Integer.toString(v), "machine.vmWorkloads", v == 0 ? "-" : "stream", "llc.size", "4MiB",
                    "memory.host", "8GiB", "workload.footprint", "16MiB"));
            CpuSnapshot together = on.interval().vcpus().get(v);
            CpuSnapshot solo = alone.interval().vcpus().get(0);
            assertEquals(solo.time(), together.time(), "VM " + v + ": cycles");
            assertEquals(solo.cpu().references(), together.cpu().references(), "VM " + v);
            assertArrayEquals(solo.cacheMisses(), together.cacheMisses(), "VM " + v);
        }
        // Sharing the memory controller: stream finishes its references long before zipf; stopping there, it leaves
        // zipf alone for the rest, running on it keeps queueing beside it, and zipf is slower for it.
        String[] shared = {"machine.vms", "2", "machine.vmWorkloads", "-,stream", "workload.footprint", "16MiB"};
        RunResult stops = Simulation.run(TestSpecs.spec("nested", "zipf", 60_000, 20_000, 7, shared));
        RunResult runsOn = Simulation.run(TestSpecs.spec("nested", "zipf", 60_000, 20_000, 7, concat(shared,
                "machine.runOn", "true")));
        assertTrue(stops.interval().vmCycles(1) < stops.interval().vmCycles(0) / 2, "stream is the shorter");
        assertEquals(stops.interval().vmCycles(1), runsOn.interval().vmCycles(1),
                "stream's own interval is the same: it runs on only after it");
        assertTrue(runsOn.interval().vmCycles(0) > stops.interval().vmCycles(0),
                runsOn.interval().vmCycles(0) + " cycles with a neighbour running on, " + stops.interval().vmCycles(0)
                        + " with one that stops");
        assertEquals(40_000, runsOn.interval().vcpus().get(0).cpu().references(), "zipf's own references");
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
