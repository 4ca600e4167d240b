package org.nestwalk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.pagetable.PageSize;

class SettingsTest {
    private static String error(Runnable r) {
        return assertThrows(ConfigException.class, r::run).getMessage();
    }

    @Test
    void defaultsAreTheMachineOfTheDesign() {
        MachineConfig m = MachineConfig.defaults();
        assertEquals(64, m.l1Tlb().entries4k());
        assertEquals(512, m.l2Tlb().entries4k());
        assertEquals(7, m.l2Tlb().latency());
        assertEquals(24, m.pwc().entries());
        assertEquals(16, m.ntlb().entries());
        assertEquals(32 << 10, m.l1d().sizeBytes());
        assertEquals(8 << 20, m.llc().sizeBytes());
        assertEquals(40, m.llc().latency());
        assertEquals(8, m.dram().banks());
        assertEquals(120, m.dram().rowHitLatency());
        assertEquals(200, m.dram().rowMissLatency());
        assertEquals(1000, m.hypervisor().vmExitLatency());
        assertEquals(1500, m.guest().pageFaultLatency());
        assertEquals(PageSize.SIZE_4K, m.guest().pageSize());
        assertEquals(192, m.core().robWindow());
    }

    @Test
    void aTimeSliceShorterThanAFewSwitchesIsRefused() {
        // Defaults: a switch costs 2000 + 1000 + 10000 cycles; a slice must be worth four of them.
        String m = error(() -> MachineConfig.from(Settings.defaults().with("guest.quantum", "51999", "cli")));
        assertTrue(m.startsWith("cli: guest.quantum = '51999': expected at least 4 x the cost of a process switch"),
                m);
        assertTrue(m.contains("= 13000 cycles"), m);
        assertEquals(52_000, MachineConfig.from(Settings.defaults().with("guest.quantum", "52000", "cli")).guest()
                .quantum());
    }

    @Test
    void sizesAcceptBinaryUnits() {
        Settings s = Settings.defaults().with("llc.size", "16MiB", "cli").with("l2.size", "512K", "cli");
        assertEquals(16L << 20, s.size("llc.size"));
        assertEquals(512L << 10, s.size("l2.size"));
        assertEquals("16MiB", s.text("llc.size"));
        assertEquals("cli", s.sourceOf("llc.size"));
        assertEquals("default", s.sourceOf("l1d.size"));
    }

    @Test
    void unknownKeysNameTheClosestKnownKey() {
        String m = error(() -> Settings.defaults().with("tlb.l2.way", "4", "command line"));
        assertTrue(m.startsWith("command line: unknown key 'tlb.l2.way'"), m);
        assertTrue(m.contains("did you mean 'tlb.l2.ways'"), m);
    }

    @Test
    void badValuesNameKeySourceAndExpectation() {
        assertEquals("command line: tlb.l2.ways = '3': expected a power of two",
                error(() -> Settings.defaults().with("tlb.l2.ways", "3", "command line")));
        assertTrue(error(() -> Settings.defaults().with("llc.size", "-1", "x.yaml line 4"))
                .startsWith("x.yaml line 4: llc.size = '-1': expected a size"));
        assertTrue(error(() -> Settings.defaults().with("core.baseCpi", "fast", "cli")).contains("expected a number"));
        assertTrue(error(() -> Settings.defaults().with("dram.scheduling", "lifo", "cli"))
                .contains("expected one of frfcfs, fcfs"));
        assertTrue(error(() -> Settings.defaults().with("pwc.entries", "-5", "cli")).contains("expected 0..4096"));
        assertTrue(error(() -> Settings.defaults().withAssignment("pwc.entries", "cli")).contains("key=value"));
    }

    @Test
    void impossibleCombinationsAreReportedAgainstTheKeyTheUserSet() {
        Settings s = Settings.defaults().with("tlb.l2.entries", "2", "cli");
        String m = error(() -> MachineConfig.from(s));
        assertTrue(m.startsWith("cli: tlb.l2.entries = '2'"), m);
        Settings host = Settings.defaults().with("memory.host", "2GiB", "cli");
        assertTrue(error(() -> MachineConfig.from(host)).contains("more memory than the VM"));
        Settings footprint = Settings.defaults().with("workload.footprint", "8GiB", "cli");
        assertTrue(error(() -> WorkloadConfig.from(footprint, "x")).contains("does not fit in the VM's memory"));
    }

    @Test
    void everyDefaultParsesAndIsDocumented() {
        for (Parameter p : Parameters.all()) {
            p.parse(p.defaultValue(), "default");
            assertTrue(p.description().length() > 10, p.key());
        }
    }
}
