package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.report.Json;

/**
 * Issue 17, a newcomer's path: {@code run} without an experiment file writes its runs as CSV and JSON, and takes a
 * machine file with the keys of an experiment's {@code machine:}.
 */
class RunOutputsTest {
    @Test
    void csvJsonAndAMachineFile(@TempDir Path tmp) throws Exception {
        Path machine = tmp.resolve("machine.yaml");
        Files.writeString(machine, "# a bigger L2 TLB\ntlb.l2.entries: 1024\npwc.entries: 48\n");
        Path csv = tmp.resolve("runs.csv");
        Path json = tmp.resolve("runs.json");
        CliRun o = CliRun.of("run", "--mode", "native,nested", "--workload", "zipf", "--refs", "3000", "--warmup",
                "1000", "--machine", machine.toString(), "--set", "pwc.entries=8", "--csv", csv.toString(), "--json",
                json.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("Wrote " + csv + "."), o.out());

        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size(), "a header and a line per run");
        List<String> header = List.of(lines.get(0).split(",", -1));
        assertEquals(List.of("mode", "workload", "seed", "replication", "references", "warmup"), header.subList(0, 6));
        String[] nativeRun = lines.get(1).split(",", -1);
        String[] nestedRun = lines.get(2).split(",", -1);
        assertEquals("native", nativeRun[0]);
        assertEquals("1024", nativeRun[header.indexOf("tlb.l2.entries")], "from the machine file");
        assertEquals("8", nativeRun[header.indexOf("pwc.entries")], "--set wins over the machine file");
        assertEquals("262144", nativeRun[header.indexOf("l2.size")], "sizes in bytes");
        assertEquals("2000", nativeRun[header.indexOf("measuredReferences")]);
        assertEquals("", nativeRun[header.indexOf("ntlbHitRate")], "native has no NTLB: NA");
        assertTrue(!nestedRun[header.indexOf("ntlbHitRate")].isEmpty());

        JsonNode runs = Json.mapper().readTree(json.toFile()).get("runs");
        assertEquals(2, runs.size());
        assertTrue(runs.get(0).get("metrics").get("ntlbHitRate").isNull());
        assertTrue(runs.get(1).get("metrics").get("ntlbHitRate").isNumber());
        assertEquals(1024, runs.get(1).get("parameters").get("tlb.l2.entries").asInt());
        assertEquals(2000, runs.get(1).get("metrics").get("measuredReferences").asInt());

        CliRun piped = CliRun.of("run", "--mode", "native", "--workload", "zipf", "--refs", "2000", "--csv", "-");
        assertEquals(0, piped.code(), piped.err());
        assertTrue(piped.out().startsWith("mode,workload,seed,"), piped.out());
        assertEquals(2, piped.out().strip().lines().count(), "standard output holds the CSV alone");
    }

    @Test
    void aBadMachineFileIsOneLine(@TempDir Path tmp) throws Exception {
        Path machine = tmp.resolve("machine.yaml");
        Files.writeString(machine, "tlb.l2.entries: 1024\ntlb.l2.entrie: 8\n");
        CliRun.of("run", "--machine", machine.toString(), "--mode", "native").assertOneLineError(machine
                + " line 2: unknown key 'tlb.l2.entrie'");
        Files.writeString(machine, "tlb.l2.entries: 1000\n");
        CliRun.of("run", "--machine", machine.toString(), "--mode", "native").assertOneLineError(machine
                + " line 1: tlb.l2.entries = '1000': expected a power of two");
        CliRun.of("explain", "--machine", tmp.resolve("none.yaml").toString()).assertOneLineError(
                tmp.resolve("none.yaml") + ": no such machine file");
    }
}
