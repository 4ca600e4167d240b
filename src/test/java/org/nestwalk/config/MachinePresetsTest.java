package org.nestwalk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.cli.CliRun;
import org.nestwalk.experiment.Experiment;
import org.nestwalk.experiment.ExperimentFile;
import org.nestwalk.experiment.Manifest;

/** The named machines: what they set, where it comes from, and the three ways to ask for one. */
class MachinePresetsTest {
    @Test
    void theModernMachineIsWhatIssue15Describes() {
        MachineConfig m = MachineConfig.from(MachinePresets.apply(Settings.defaults(), "modern"));
        assertEquals(0, m.pwc().entries(), "the AMD-style PWC gives way to the paging-structure caches");
        assertEquals(32, m.psc().entries());
        assertEquals(4, m.psc().ways());
        assertEquals(64, m.l1Tlb().entries4k());
        assertEquals(32, m.l1Tlb().entries2m());
        assertEquals(2048, m.l2Tlb().entries4k());
        assertEquals(8, m.l2Tlb().ways4k());
        assertEquals(12, m.l2Tlb().latency());
        assertEquals(4, m.walkers().walkers());
        for (MachinePresets.Value v : MachinePresets.get("modern").values()) {
            assertFalse(v.source().isBlank(), v.key() + " says where its value comes from");
        }
    }

    @Test
    void laterSettingsStillWin() {
        Settings s = MachinePresets.apply(Settings.defaults(), "modern").with("mmu.walkers", "2", "test");
        assertEquals(2, MachineConfig.from(s).walkers().walkers());
        assertTrue(s.sourceOf("tlb.l2.entries").contains("modern"));
    }

    @Test
    void anUnknownMachineIsOneLineNamingTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> MachinePresets.get("pentium"));
        assertTrue(e.getMessage().contains("modern"), e.getMessage());
        CliRun.of("explain", "--machine", "pentium").assertOneLineError("unknown machine 'pentium'");
    }

    @Test
    void anExperimentNamesItInItsMachineSection() {
        Experiment e = ExperimentFile.parse("""
                name: t
                references: 100000
                replications: 2
                modes: [nested]
                workloads: [gups]
                machine: {preset: modern, mmu.walkers: 2}
                """, "t.yaml", "t", false);
        Settings s = Manifest.expand(e).configurations().get(0).settings();
        assertEquals(2048, s.integer("tlb.l2.entries"));
        assertEquals("intel", s.choice("pwc.kind"));
        assertEquals(2, s.integer("mmu.walkers"), "a key after the preset changes its value");
    }

    @Test
    void aPresetAfterOtherKeysIsOneLineSayingSo() {
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentFile.parse("""
                name: t
                references: 100000
                replications: 2
                modes: [nested]
                workloads: [gups]
                machine: {mmu.walkers: 2, preset: modern}
                """, "t.yaml", "t", false));
        assertTrue(e.getMessage().contains("t.yaml line 6") && e.getMessage().contains("put it first"),
                e.getMessage());
    }

    @Test
    void explainOnTheModernMachineSkipsLevels() {
        CliRun r = CliRun.of("explain", "--machine", "modern", "--compare", "cold,warm", "--warm", "20000");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PWC"), r.out());
    }
}
