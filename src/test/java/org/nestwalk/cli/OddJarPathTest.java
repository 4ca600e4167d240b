package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, defect 1: nestwalk run from a jar in a directory whose path holds a space. DSOL's naming root reads a
 * resource of the jar it lives in through a resolver that mangles such paths; a separate JVM is started with that
 * jar copied under "my sims/", as a user who unpacked nestwalk there would have it.
 */
class OddJarPathTest {
    @Test
    void aJarUnderADirectoryWithASpaceRunsSimulations(@TempDir Path tmp) throws Exception {
        URL resource = ClassLoader.getSystemResource("resources/jndi.properties");
        assertNotNull(resource, "DSOL's jndi.properties is on the class path");
        assertEquals("jar", resource.getProtocol(), "the test needs the resource inside a jar: " + resource);
        Path jar = Path.of(((JarURLConnection) resource.openConnection()).getJarFileURL().toURI());
        Path odd = tmp.resolve("my sims #1");
        Files.createDirectories(odd);
        Path copy = Files.copy(jar, odd.resolve(jar.getFileName()));

        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            boolean isJar = !entry.isEmpty() && Files.isSameFile(Path.of(entry), jar);
            classPath.add(isJar ? copy.toString() : entry);
        }
        assertTrue(classPath.contains(copy.toString()), "the copied jar replaces the original on the class path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = tmp.resolve("log.txt");
        Process p = new ProcessBuilder(java, "-cp", String.join(File.pathSeparator, classPath),
                "org.nestwalk.cli.Main", "run", "--mode", "native", "--workload", "zipf", "--refs", "5000")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("runtime (Mcycles)"), output);
    }
}
