package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One walker, a core that stops at every TLB miss, the probe in front of the verification, a hashed ISPT and flat
 * entries in the PWC: the machine of commit 382d540, whose every counter of 60 runs is in {@code
 * golden/legacy-machine.tsv}. The settings that select it reproduce it bit for bit.
 */
class LegacyMachineTest {
    /** The settings of the machine before walk concurrency. */
    static final String[] LEGACY = {"mmu.walkers", "1", "core.walkOverlap", "none", "spec.verify", "after-probe",
        "ispt.layout", "hashed", "pwc.flatEntries", "true"};

    @Test
    void oneWalkerWithoutOverlapIsTheMachineOfBefore() throws IOException {
        assertSame(golden(LegacyMachine.RESOURCE), LegacyMachine.run(LEGACY));
    }

    /** Every counter of {@code now} is the one in {@code golden}, for the same runs. */
    static void assertSame(Map<String, Map<String, Long>> golden, Map<String, Map<String, Long>> now) {
        assertEquals(golden.keySet(), now.keySet());
        List<String> differences = new ArrayList<>();
        golden.forEach((name, counters) -> counters.forEach((key, value) -> {
            Long v = now.get(name).get(key);
            if (!value.equals(v)) {
                differences.add(name + " " + key + ": " + value + " before, " + v + " now");
            }
        }));
        assertTrue(differences.isEmpty(), differences.size() + " counters differ, e.g. "
                + differences.subList(0, Math.min(20, differences.size())));
    }

    /** A golden file of {@link LegacyMachine#main}'s format, by case and counter. */
    static Map<String, Map<String, Long>> golden(String resource) throws IOException {
        Map<String, Map<String, Long>> m = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                LegacyMachineTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t");
                m.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Long.parseLong(f[2]));
            }
        }
        return m;
    }
}
