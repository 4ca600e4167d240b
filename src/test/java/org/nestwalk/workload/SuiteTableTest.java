package org.nestwalk.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.trace.capture.ToolBuilder;

/**
 * The workload suite's table is written by experiments/workloads/suite_table.py, never by hand: from the committed
 * runs and trace statistics the script makes exactly the committed table and the README's copy; and on made-up runs
 * it ranks by nested paging's translation share and derives the L1 TLB misses from the L2 TLB's lookups. Needs
 * python3.
 */
class SuiteTableTest {
    private static final Path SCRIPT = Path.of("experiments/workloads/suite_table.py").toAbsolutePath();
    private static final Path RESULTS = Path.of("results/workload-suite");
    private static final String BEGIN = "<!-- workload-suite:begin -->\n";
    private static final String END = "<!-- workload-suite:end -->";

    @BeforeAll
    static void needsPython() {
        boolean python = ToolBuilder.standard().find("python3") != null;
        if (!python) {
            System.err.println("SuiteTableTest: skipped, needs python3 in PATH");
        }
        Assumptions.assumeTrue(python, "python3 is not installed");
    }

    private static String table(Path results, Path infos) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", SCRIPT.toString(), results.toString(), infos.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "suite_table.py did not finish");
        assertEquals(0, p.exitValue(), out);
        return Files.readString(results.resolve("characterization.md"));
    }

    @Test
    void theCommittedTableIsTheScriptsOutput(@TempDir Path dir) throws IOException, InterruptedException {
        Files.copy(RESULTS.resolve("runs.csv"), dir.resolve("runs.csv"));
        Files.copy(RESULTS.resolve("traces.txt"), dir.resolve("traces.txt"));
        String made = table(dir, dir.resolve("traces.txt"));
        assertEquals(Files.readString(RESULTS.resolve("characterization.md")), made);
        assertEquals(Files.readString(RESULTS.resolve("characterization.csv")),
                Files.readString(dir.resolve("characterization.csv")));
        String readme = Files.readString(Path.of("README.md"));
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "the README has the table's markers");
        assertEquals(made, readme.substring(begin + BEGIN.length(), end), "the README's table is the script's");
    }

    @Test
    void ranksByNestedTranslationShareAndDerivesL1Misses(@TempDir Path dir) throws IOException, InterruptedException {
        String[] modes = {"native", "nested", "flat-nested", "shadow", "spec-shadow"};
        List<String> rows = new ArrayList<>();
        rows.add("workload,mode,replication,status,tlbMpki,l2TlbMissRate,guestTableWrites,instructions,"
                + "translationShare");
        for (int r = 0; r < 2; r++) {
            for (String m : modes) {
                // "calm": L2 MPKI 1, half the L1 misses miss the L2 TLB; 4 table writes in 2 M instructions.
                rows.add("calm," + m + "," + r + ",ok,1.0,0.5,4,2000000," + (m.equals("nested") ? "0.1" : "0.05"));
                rows.add("hungry," + m + "," + r + ",ok,50.0,1.0,0,1000000," + (m.equals("nested") ? "0.8" : "0.4"));
            }
        }
        rows.add("hungry,native,2,failed,999,1,0,1,0.99");
        Files.write(dir.resolve("runs.csv"), rows);
        Path infos = Files.createDirectories(dir.resolve("infos"));
        for (String w : new String[] {"calm", "hungry"}) {
            Files.writeString(infos.resolve(w + ".info"), "/x/" + w + ".trace: prog\n"
                    + "  written by t; 4096-byte pages; 5 instructions skipped before it\n"
                    + "  10 references (1 stores) over 30 instructions; 262,144 distinct pages (1GiB)\n"
                    + "  events: none\n  131,072 pages (512MiB) present when recording started\n");
        }
        String[] lines = table(dir, infos).split("\n");
        assertEquals(4, lines.length);
        assertEquals("| 1 | hungry | 512 MiB | 1.00 GiB | 50.0 | 50.0 | 0.0 | 40.0 % | 80.0 % | 40.0 % | 40.0 % | "
                + "40.0 % |", lines[2], "the failed run is left out");
        assertEquals("| 2 | calm | 512 MiB | 1.00 GiB | 2.0 | 1.0 | 2.0 | 5.0 % | 10.0 % | 5.0 % | 5.0 % | 5.0 % |",
                lines[3]);
    }
}
