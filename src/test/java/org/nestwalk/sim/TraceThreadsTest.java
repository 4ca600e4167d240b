package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nestwalk.TestSpecs;
import org.nestwalk.config.ConfigException;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;
import org.nestwalk.workload.TraceWorkload;

/**
 * A trace's threads replayed one per vCPU ({@code workload.traceThreads=per-vcpu}): each vCPU runs its threads'
 * records, the threads share one address space, and one thread's munmap shoots the others' translations down.
 */
class TraceThreadsTest {
    private static final long PID = 100;
    private static final long PAGE = 4096;
    /** The range thread 100 maps, stores to, and later unmaps; thread 101 loads from it in between. */
    private static final long SHARED = 0x7f00_0000_0000L;
    private static final int SHARED_PAGES = 16;
    /** Each thread's private data, far apart from each other and from the shared range (separate regions). */
    private static final long OWN = 0x1000_0000L;

    private static long own(long tid) {
        return OWN + (tid - PID) * (64L << 20);
    }

    private static void loads(TraceWriter w, long tid, int n) {
        for (int i = 0; i < n; i++) {
            w.reference(2, own(tid) + (i % 256) * PAGE + 8 * (i / 256 % 512), 8, false);
        }
    }

    private static void sharedAccesses(TraceWriter w, boolean store) {
        for (int p = 0; p < SHARED_PAGES; p++) {
            w.reference(3, SHARED + p * PAGE, 8, store);
        }
    }

    /** Thread 100's references in {@link #mapUseUnmap}. */
    private static final int MAIN_LOADS = 500;
    private static final long MAIN_REFS = SHARED_PAGES + MAIN_LOADS + 10;
    /** Thread 101's references: loads of its own data before and after it reads the shared range. */
    private static final int OTHER_LOADS = 2000;
    private static final long OTHER_REFS = OTHER_LOADS + SHARED_PAGES + OTHER_LOADS;

    /**
     * As a capture serializes them: thread 100 maps the shared range and stores to each page; thread 101 loads its
     * own data, then each shared page; thread 100 loads its own data, unmaps the shared range, loads a little more;
     * thread 101 loads its own data again. Replayed each in its own order, thread 100 unmaps the range long before
     * thread 101 (2,000 loads into its records) reads it.
     */
    private static Path mapUseUnmap(Path file) {
        try (TraceWriter w = TraceWriter.create(file, new TraceHeader(List.of("threads"), "test", 4096, 0, PID))) {
            w.event(1, new TraceEvent.Mmap(SHARED, SHARED_PAGES * PAGE, 3, 0x22));
            sharedAccesses(w, true);
            w.event(1, new TraceEvent.Switch(PID, PID + 1));
            loads(w, PID + 1, OTHER_LOADS);
            sharedAccesses(w, false);
            w.event(1, new TraceEvent.Switch(PID, PID));
            loads(w, PID, MAIN_LOADS);
            w.event(1, new TraceEvent.Munmap(SHARED, SHARED_PAGES * PAGE));
            loads(w, PID, 10);
            w.event(1, new TraceEvent.Switch(PID, PID + 1));
            loads(w, PID + 1, OTHER_LOADS);
            w.finish(0);
        }
        return file;
    }

    private static RunSpec perVcpu(String mode, Path trace, long references, long warmup, String... more) {
        String[] base = {"workload.trace", trace.toString(), "workload.traceThreads", "per-vcpu"};
        String[] kv = new String[base.length + more.length];
        System.arraycopy(base, 0, kv, 0, base.length);
        System.arraycopy(more, 0, kv, base.length, more.length);
        return TestSpecs.spec(mode, "random", references, warmup, 3, kv);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "nested", "shadow"})
    void eachVcpuRunsItsThreadAndTheMunmapShootsTheOtherDownOnce(String mode, @TempDir Path dir) {
        Path trace = mapUseUnmap(dir.resolve("threads.trace"));
        RunResult r = Simulation.run(perVcpu(mode, trace, MAIN_REFS + OTHER_REFS, 0, "machine.vcpus", "2"));
        List<CpuSnapshot> cpus = r.interval().vcpus();
        assertEquals(2, cpus.size());
        assertEquals(MAIN_REFS, cpus.get(0).cpu().references(), mode + ": vCPU 0 runs thread 100");
        assertEquals(OTHER_REFS, cpus.get(1).cpu().references(), mode + ": vCPU 1 runs thread 101");
        assertEquals(TraceWorkload.open(trace, 1L << 30).references(), r.interval().cpu().references(),
                mode + ": every reference of the trace, once");

        ShootdownCounts main = cpus.get(0).shootdowns();
        ShootdownCounts other = cpus.get(1).shootdowns();
        assertEquals(1, main.initiated(), mode + ": the munmap");
        assertEquals(1, main.ipisSent(), mode + ": to the one other vCPU");
        assertEquals(0, other.initiated(), mode);
        assertEquals(1, other.ipisTaken(), mode);
        assertTrue(main.waitCycles() >= 2L * 500, mode + ": the IPI goes and its acknowledgement comes back");

        // The whole footprint was mapped before the run; thread 101 reads the shared range after thread 100
        // unmapped it, and the range stays the program's: each page faults back in, on thread 101's vCPU.
        assertEquals(SHARED_PAGES, r.interval().guest().pageFaults(), mode);
        assertEquals(0, cpus.get(0).cpu().pageFaults(), mode);
        assertTrue(cpus.get(1).cpu().pageFaults() >= SHARED_PAGES, mode);
        assertEquals(SHARED_PAGES, r.interval().guest().unmappedPages(), mode);
    }

    @Test
    void theSameSeedGivesTheSameRun(@TempDir Path dir) {
        Path trace = mapUseUnmap(dir.resolve("threads.trace"));
        RunSpec spec = perVcpu("shadow", trace, MAIN_REFS + OTHER_REFS, 0, "machine.vcpus", "2");
        RunResult a = Simulation.run(spec);
        RunResult b = Simulation.run(spec);
        assertEquals(a.interval().counters(), b.interval().counters());
        for (int c = 0; c < 2; c++) {
            CpuSnapshot x = a.interval().vcpus().get(c);
            CpuSnapshot y = b.interval().vcpus().get(c);
            assertEquals(x.time(), y.time(), "vCPU " + c);
            assertEquals(x.cpu().references(), y.cpu().references(), "vCPU " + c);
            assertEquals(x.shootdowns(), y.shootdowns(), "vCPU " + c);
        }
        assertTrue(a.interval().shootdowns().initiated() > 0, "the run has the interactions that could vary");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nested", "shadow"})
    void noThreadUsesATranslationItsMunmapTookAway(String mode, @TempDir Path dir) {
        Path trace = mapUseUnmap(dir.resolve("threads.trace"));
        StaleTranslationCheck[] check = new StaleTranslationCheck[1];
        MachineRun run = MachineRun.of(perVcpu(mode, trace, MAIN_REFS + OTHER_REFS, 0, "machine.vcpus", "2"),
                (m, s) -> check[0] = m.checkTranslations());
        assertEquals(MAIN_REFS + OTHER_REFS, run.end().cpu().references());
        assertTrue(check[0].checked() > 0);
        assertEquals(0, check[0].violations(), check[0].firstViolation());
    }

    /** Threads 100, 101 and 102, each loading its own data: {@code refs[i]} loads for thread 100 + i. */
    private static Path threeThreads(Path file, int... refs) {
        try (TraceWriter w = TraceWriter.create(file, new TraceHeader(List.of("threads"), "test", 4096, 0, PID))) {
            // Turns of 100 loads each, as a capture serializes threads.
            int[] left = refs.clone();
            boolean any = true;
            while (any) {
                any = false;
                for (int t = 0; t < left.length; t++) {
                    if (left[t] > 0) {
                        any = true;
                        w.event(1, new TraceEvent.Switch(PID, PID + t));
                        int n = Math.min(100, left[t]);
                        loads(w, PID + t, n);
                        left[t] -= n;
                    }
                }
            }
            w.finish(0);
        }
        return file;
    }

    @Test
    void moreThreadsThanVcpusTakeTurnsThreadIOnVcpuIModuloTheVcpus(@TempDir Path dir) {
        Path trace = threeThreads(dir.resolve("three.trace"), 3000, 1000, 700);
        RunResult r = Simulation.run(perVcpu("nested", trace, 4700, 0, "machine.vcpus", "2"));
        List<CpuSnapshot> cpus = r.interval().vcpus();
        assertEquals(3000 + 700, cpus.get(0).cpu().references(), "threads 0 and 2");
        assertEquals(1000, cpus.get(1).cpu().references(), "thread 1");
        assertTrue(r.interval().guest().contextSwitches() >= 1, "vCPU 0 goes from one thread to the other");
        assertEquals(0, r.interval().shootdowns().initiated(), "nothing changes the address space");
    }

    @Test
    void fewerThreadsThanVcpusLeaveTheRestIdle(@TempDir Path dir) {
        Path trace = mapUseUnmap(dir.resolve("threads.trace"));
        // A warm-up: the idle vCPUs, done at once, must not keep the measured interval from starting.
        RunResult r = Simulation.run(perVcpu("nested", trace, MAIN_REFS + OTHER_REFS, 100, "machine.vcpus", "4"));
        List<CpuSnapshot> cpus = r.interval().vcpus();
        assertEquals(4, cpus.size());
        long measured = cpus.get(0).cpu().references() + cpus.get(1).cpu().references();
        assertTrue(measured > 0 && measured <= MAIN_REFS + OTHER_REFS - 200, measured + " measured references");
        assertEquals(measured, r.interval().cpu().references());
        assertEquals(0, cpus.get(2).cpu().references());
        assertEquals(0, cpus.get(3).cpu().references());
        assertEquals(1, r.interval().shootdowns().initiated());
        assertEquals(1, r.interval().shootdowns().ipisSent(), "only vCPU 1 runs the address space");
        assertEquals(0, cpus.get(2).shootdowns().ipisTaken() + cpus.get(3).shootdowns().ipisTaken());
    }

    @Test
    void aThreadsForkMakesAChildThatReplaysItsOwnRecords(@TempDir Path dir) {
        Path file = dir.resolve("fork.trace");
        try (TraceWriter w = TraceWriter.create(file, new TraceHeader(List.of("fork"), "test", 4096, 0, PID))) {
            loads(w, PID, 300);
            w.event(1, new TraceEvent.Switch(PID, PID + 1));
            loads(w, PID + 1, 200);
            w.event(1, new TraceEvent.Fork(200));
            loads(w, PID + 1, 200);
            w.event(1, new TraceEvent.Switch(200, 200));
            // The child stores to its copy of thread 101's data: copy-on-write.
            for (int i = 0; i < 50; i++) {
                w.reference(2, own(PID + 1) + i * PAGE, 8, true);
            }
            w.event(1, new TraceEvent.Exit(200));
            w.finish(0);
        }
        RunResult r = Simulation.run(perVcpu("nested", file, 750, 0, "machine.vcpus", "2"));
        assertEquals(1, r.interval().guest().forks());
        assertEquals(1, r.interval().guest().exits(), "the child's exit; the threads' ends are not exits");
        assertEquals(300, r.interval().vcpus().get(0).cpu().references());
        assertEquals(400 + 50, r.interval().vcpus().get(1).cpu().references(), "the child runs on its parent's vCPU");
    }

    @Test
    void aTraceWhoseProcessExecsIsRefusedNamingTheSetting(@TempDir Path dir) {
        Path file = dir.resolve("exec.trace");
        try (TraceWriter w = TraceWriter.create(file, new TraceHeader(List.of("exec"), "test", 4096, 0, PID))) {
            loads(w, PID, 10);
            w.event(1, new TraceEvent.Exec());
            loads(w, PID, 10);
            w.finish(0);
        }
        SimulationException e = assertThrows(SimulationException.class,
                () -> Simulation.run(perVcpu("nested", file, 20, 0, "machine.vcpus", "2")));
        assertTrue(e.getCause() instanceof ConfigException && e.getMessage().contains("workload.traceThreads")
                && e.getMessage().contains("EXEC"), e.getMessage());
    }

    @Test
    void perVcpuWithoutATraceOrWithSyntheticThreadsIsRefused(@TempDir Path dir) {
        SimulationException none = assertThrows(SimulationException.class, () -> Simulation.run(TestSpecs.spec(
                "nested", "random", 1000, 0, 1, "workload.traceThreads", "per-vcpu")));
        assertTrue(none.getCause() instanceof ConfigException && none.getMessage().contains(
                "workload.traceThreads = 'per-vcpu'") && none.getMessage().contains("set workload.trace"),
                none.getMessage());
        Path trace = mapUseUnmap(dir.resolve("threads.trace"));
        SimulationException both = assertThrows(SimulationException.class, () -> Simulation.run(perVcpu("nested",
                trace, 1000, 0, "machine.vcpus", "2", "workload.threads", "2")));
        assertTrue(both.getCause() instanceof ConfigException && both.getMessage().contains(
                "workload.threads = '2'") && both.getMessage().contains("expected 0"), both.getMessage());
    }

    @Test
    void anUnknownWayIsRefusedWithTheChoices() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TestSpecs.settings("random", "workload.traceThreads", "per-thread"));
        assertTrue(e.getMessage().contains("workload.traceThreads") && e.getMessage().contains("interleaved")
                && e.getMessage().contains("per-vcpu"), e.getMessage());
    }
}
