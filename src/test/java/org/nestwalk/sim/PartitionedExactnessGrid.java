package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;

/**
 * The wider check behind the README's "Several VMs": partitioned pairs of VMs, each VM against its solo run on a
 * machine of its slice, over four modes, five pairings of programs and 1, 2 and (without gups, whose 2 GiB per vCPU
 * does not fit) 4 vCPUs per VM; every vCPU's cycles, cache hits and walk cycles must be its solo run's. About a
 * minute on two cores, so not in the default suite (its name does not end in Test): run it with
 * {@code mvn -q test -Dtest=PartitionedExactnessGrid}. It prints how many vCPUs and VMs were exact and fails naming
 * every one that was not. {@code SeveralVmsTest} and {@code VmWorkloadsTest} keep a few of these cases in the suite.
 */
class PartitionedExactnessGrid {
    @Test
    void everyVcpuOfEveryPartitionedPairIsExactlyItsSoloSelf() {
        String[] modes = {"nested", "flat-nested", "shadow", "spec-shadow"};
        String[][] pairs = {{"zipf", "gups"}, {"gups", "mcf-like"}, {"canneal-like", "zipf"},
            {"mcf-like", "canneal-like"}, {"zipf", "canneal-like"}};
        List<String> differ = new ArrayList<>();
        int vcpus = 0;
        int vms = 0;
        int vmsDiffering = 0;
        for (String mode : modes) {
            for (String[] p : pairs) {
                boolean gups = p[0].equals("gups") || p[1].equals("gups");
                for (int n : gups ? new int[] {1, 2} : new int[] {1, 2, 4}) {
                    RunResult pair = Simulation.run(TestSpecs.spec(mode, p[0], 100_000, 20_000, 17, "machine.vms",
                            "2", "llc.partition", "vm", "dram.partition", "vm", "machine.vmWorkloads", "-," + p[1],
                            "machine.vcpus", Integer.toString(n), "workload.footprint", "64MiB", "memory.guest",
                            "6GiB"));
                    for (int v = 0; v < 2; v++) {
                        RunResult solo = Simulation.run(TestSpecs.spec(mode, p[0], 100_000, 20_000, 17,
                                "machine.vms", "1", "machine.vmOffset", Integer.toString(v), "machine.vmWorkloads",
                                v == 0 ? "-" : p[1], "llc.size", "4MiB", "memory.host", "8GiB", "machine.vcpus",
                                Integer.toString(n), "workload.footprint", "64MiB", "memory.guest", "6GiB"));
                        boolean vmExact = true;
                        for (int c = 0; c < n; c++) {
                            CpuSnapshot together = pair.interval().vcpus().get(v * n + c);
                            CpuSnapshot alone = solo.interval().vcpus().get(c);
                            vcpus++;
                            if (alone.time() != together.time()
                                    || !Arrays.equals(alone.cacheHits(), together.cacheHits())
                                    || alone.walks().cycles() != together.walks().cycles()) {
                                vmExact = false;
                                differ.add(mode + " " + p[0] + " beside " + p[1] + ", " + n + " vCPUs: VM " + v
                                        + " vCPU " + c + " " + together.time() + " cycles, alone " + alone.time());
                            }
                        }
                        vms++;
                        vmsDiffering += vmExact ? 0 : 1;
                    }
                }
            }
        }
        System.out.printf("partitioned pairs: %d of %d vCPUs and %d of %d VMs exactly their solo selves%n",
                vcpus - differ.size(), vcpus, vms - vmsDiffering, vms);
        assertTrue(differ.isEmpty(), differ.size() + " vCPUs differ from their solo runs: " + differ);
    }
}
