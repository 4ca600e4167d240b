package org.nestwalk.teach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.hypervisor.HypervisorConfig;
import org.nestwalk.walk.Walk;

/**
 * The scenarios show what the hypervisor's code did: every exit and every cycle the vCPU counted appears as a step,
 * and each exit costs the exit round trip plus its handler's configured cycles plus the references it made.
 */
class ScenarioRunTest {
    private static ScenarioRun.Result run(Scenario s, String... settings) {
        return ScenarioRun.run(s, TestSpecs.settings("random", settings), "random", 1);
    }

    private static List<ScenarioRun.HandlerStep> steps(ScenarioRun.Result r) {
        return r.entries().stream().filter(e -> e instanceof ScenarioRun.HandlerEntry)
                .flatMap(e -> ((ScenarioRun.HandlerEntry) e).steps().stream()).toList();
    }

    private static long exitSteps(ScenarioRun.Result r, ExitCause c) {
        return steps(r).stream().filter(s -> s.cause() == c && s.kind() == HandlerWork.StepKind.EXIT).count();
    }

    private static List<Walk> walks(ScenarioRun.Result r) {
        return r.entries().stream().filter(e -> e instanceof ScenarioRun.WalkEntry)
                .map(e -> ((ScenarioRun.WalkEntry) e).walk()).toList();
    }

    @Test
    void everyScenarioShowsExactlyTheExitsAndCyclesTheVcpuCounted() {
        for (Scenario s : Scenario.values()) {
            ScenarioRun.Result r = run(s);
            for (ExitCause c : ExitCause.values()) {
                assertEquals(r.counters().exits()[c.ordinal()], exitSteps(r, c), s.label() + " " + c);
                assertEquals(r.counters().exitCycles()[c.ordinal()], ScenarioReport.shown(r, c),
                        s.label() + " " + c);
            }
            assertEquals(r.counters().guestOsCycles(), ScenarioReport.shown(r, null), s.label());
            // Steps of one handler run follow each other without gaps.
            for (ScenarioRun.Entry e : r.entries()) {
                if (e instanceof ScenarioRun.HandlerEntry h) {
                    long t = h.start();
                    for (ScenarioRun.HandlerStep step : h.steps()) {
                        assertEquals(t, step.start(), s.label());
                        assertTrue(step.end() >= step.start(), s.label());
                        t = step.end();
                    }
                    assertEquals(h.end(), t, s.label());
                }
            }
        }
    }

    @Test
    void aTrueFaultIsReflectedAndAHiddenFaultIsNot() {
        ScenarioRun.Result r = run(Scenario.PAGE_FAULT);
        HypervisorConfig h = r.spec().machine().hypervisor();
        assertEquals(1, r.counters().exits()[ExitCause.GUEST_FAULT_INJECTION.ordinal()]);
        assertEquals(1, r.counters().exits()[ExitCause.HIDDEN_FAULT.ordinal()]);
        // The guest's handler ran once: for the true fault only.
        assertEquals(r.spec().machine().guest().pageFaultLatency(), r.counters().guestOsCycles());
        for (ScenarioRun.HandlerStep s : steps(r)) {
            if (s.kind() == HandlerWork.StepKind.EXIT) {
                assertEquals(h.vmExitLatency(), s.cycles());
            }
        }
        // The first walk of the never-touched page faults; the last one translates.
        List<Walk> w = walks(r);
        assertEquals("PAGE_FAULT", w.get(0).outcome().name());
        assertEquals("TRANSLATED", w.get(w.size() - 1).outcome().name());
    }

    @Test
    void aTrappedPteWriteCostsTheExitTheEmulationAndItsWrites() {
        ScenarioRun.Result r = run(Scenario.PTE_WRITE);
        HypervisorConfig h = r.spec().machine().hypervisor();
        assertEquals(1, r.counters().exits()[ExitCause.PT_WRITE.ordinal()]);
        assertEquals(1, r.counters().exits()[ExitCause.INVLPG.ordinal()]);
        long refs = steps(r).stream().filter(s -> s.cause() == ExitCause.PT_WRITE && s.servedBy() != null)
                .mapToLong(ScenarioRun.HandlerStep::cycles).sum();
        assertEquals(h.vmExitLatency() + h.ptWriteLatency() + refs,
                r.counters().exitCycles()[ExitCause.PT_WRITE.ordinal()]);
        // An INVLPG with nothing out of sync is the round trip and its handler, nothing else.
        assertEquals(h.vmExitLatency() + h.invlpgLatency(), r.counters().exitCycles()[ExitCause.INVLPG.ordinal()]);
    }

    @Test
    void outOfSyncTablesTurnThePteWriteIntoAPlainStore() {
        ScenarioRun.Result r = run(Scenario.PTE_WRITE, "hypervisor.shadowSync", "oos");
        assertEquals(0, r.counters().exits()[ExitCause.PT_WRITE.ordinal()]);
        assertEquals(1, r.counters().exits()[ExitCause.INVLPG.ordinal()]);
    }

    @Test
    void eachContextSwitchIsOneCr3ExitWithTheCachedShadowCost() {
        ScenarioRun.Result r = run(Scenario.CONTEXT_SWITCH);
        HypervisorConfig h = r.spec().machine().hypervisor();
        assertEquals(2, r.counters().exits()[ExitCause.CR3_WRITE.ordinal()]);
        assertEquals(2 * (h.vmExitLatency() + h.cr3CachedLatency()),
                r.counters().exitCycles()[ExitCause.CR3_WRITE.ordinal()]);
    }

    @Test
    void aSpeculationVerifiesWithoutAnyExit() {
        ScenarioRun.Result r = run(Scenario.SPECULATION);
        assertEquals(0, java.util.Arrays.stream(r.counters().exits()).sum());
        assertEquals(2, r.counters().speculations());
        assertEquals(0, r.counters().misspeculations());
        for (Walk w : walks(r)) {
            assertEquals(1, w.criticalReferences(), "one ISPT line on the critical path");
        }
        assertTrue(r.entries().stream().filter(e -> e instanceof ScenarioRun.VerificationEntry)
                .allMatch(e -> ((ScenarioRun.VerificationEntry) e).agreed()));
    }

    @Test
    void aRemapMakesTheNextSpeculationFail() {
        ScenarioRun.Result r = run(Scenario.MISSPECULATION);
        assertEquals(1, r.counters().misspeculations());
        List<ScenarioRun.VerificationEntry> v = r.entries().stream()
                .filter(e -> e instanceof ScenarioRun.VerificationEntry)
                .map(e -> (ScenarioRun.VerificationEntry) e).toList();
        assertEquals(3, v.size());
        assertTrue(v.get(0).agreed());
        assertFalse(v.get(1).agreed(), "the read after the remap speculates with the stale ISPT entry");
        assertTrue(v.get(2).agreed());
        assertTrue(r.counters().squashCycles() >= r.spec().machine().core().squashPenalty());
        String text = ScenarioReport.text(r);
        assertTrue(text.contains("DISAGREES"), text);
    }
}
