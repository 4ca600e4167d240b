package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, a newcomer's path: where an experiment's results go is one rule, said by the command: results/NAME in
 * the current directory; a quick variant under the temporary directory, never among a checkout's results.
 */
class ResultsLocationTest {
    @Test
    void aQuickVariantGoesToTheTemporaryDirectoryAndTheCommandSaysWhere(@TempDir Path tmp) throws Exception {
        String name = "where-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path file = tmp.resolve(name + ".yaml");
        Files.writeString(file, """
                references: 100000
                replications: 2
                modes: [native]
                workloads: [{name: z, preset: zipf, set: {workload.footprint: 4MiB}}]
                quick:
                  references: 3000
                """);
        Path expected = Path.of(System.getProperty("java.io.tmpdir"), "nestwalk-"
                + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_"), name + "-quick");
        try {
            CliRun o = CliRun.of("run", file.toString(), "--quick");
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().contains("already stored in " + expected.toAbsolutePath().normalize() + ")"), o.out());
            assertTrue(Files.exists(expected.resolve("summary.csv")));
            assertFalse(Files.exists(Path.of("results", name + "-quick")), "nothing in ./results");
        } finally {
            if (Files.exists(expected)) {
                try (Stream<Path> s = Files.walk(expected)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
