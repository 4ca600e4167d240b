package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An experiment of several VMs reports each VM's own figures, with intervals, in vms.csv. */
class VmsCsvTest {
    private static final String TWO_VMS = """
            name: two-vms
            references: 30000
            warmup: 10000
            replications: 2
            modes: [nested]
            workloads:
              - {name: zipf, preset: zipf, set: {workload.footprint: 16MiB, machine.vms: 2, machine.aloneRuns: true}}
            factors:
              machine.vmWorkloads: ["-,-", "-,gups"]
            """;

    @Test
    void eachVmOfEachConfigurationHasItsFiguresAndSlowdown(@TempDir Path dir) throws Exception {
        ExperimentRunTest.run(TWO_VMS, dir);
        Manifest m = Manifest.expand(ExperimentFile.parse(TWO_VMS, "two-vms.yaml", "two-vms", false));
        new ResultsDirectory(dir).publish(m);
        List<String> lines = Files.readAllLines(dir.resolve("vms.csv"));
        assertEquals("configuration,mode,workload,machine.vmWorkloads,vm,vmWorkload,metric,n,mean,sd,ciLow,ciHigh",
                lines.get(0));
        assertEquals(1 + 2 * 2 * 5, lines.size(), "2 configurations x 2 VMs x 5 metrics");
        long gupsSlowdowns = lines.stream().filter(l -> l.contains(",1,gups,slowdown,2,")).count();
        assertEquals(1, gupsSlowdowns, String.join("\n", lines));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            double low = Double.parseDouble(f[10]);
            double mean = Double.parseDouble(f[8]);
            double high = Double.parseDouble(f[11]);
            assertTrue(low <= mean && mean <= high && mean > 0, l);
        }
        assertTrue(Files.readString(dir.resolve("README.md")).contains("`vms.csv`"));
    }

    @Test
    void oneVmWritesNoVmsCsv(@TempDir Path dir) {
        ExperimentRunTest.run(ExperimentRunTest.SMALL.replace("replications: 4", "replications: 2"), dir);
        Manifest m = Manifest.expand(ExperimentFile.parse(ExperimentRunTest.SMALL, "small.yaml", "small", false));
        new ResultsDirectory(dir).publish(m);
        assertFalse(Files.exists(dir.resolve("vms.csv")));
    }
}
