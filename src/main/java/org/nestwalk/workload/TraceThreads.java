package org.nestwalk.workload;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nestwalk.config.Settings;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceReader;

/**
 * A recorded multi-threaded program replayed as its threads ({@code workload.traceThreads=per-vcpu}): the trace's
 * first process becomes one program whose threads (the tids its SWITCH records name) share one address space, thread
 * i on vCPU i modulo the vCPUs, each replaying its own records in its own order. The capture tool serialized the
 * threads; here the interleaving is the simulator's, so that they run at once and their address-space changes reach
 * each other through TLB shootdowns, as a guest's threads' do.
 *
 * <p>What the trace does not say, and what this decides:
 * <ul>
 * <li><b>Order across threads.</b> Locks, joins and other synchronization are not in a trace, so a thread may run
 * ahead of or behind another that, in the capture, mapped a range before it touched it, or unmapped it after. The
 * regions the trace's pass over its records learns (every page the process touches, see {@link TraceWorkload}) are
 * the program's from the start, as for an interleaved replay, and an munmap does not take them away (the guest's
 * thread group keeps its start regions): it clears their pages and shoots their translations down, and a thread that
 * touches one afterwards faults a fresh page in, never a segmentation fault. mmap, munmap, mprotect, brk and mremap
 * act on the shared address space when the thread whose records carry them replays them.</li>
 * <li><b>Start.</b> The format has no event for a thread's creation (SWITCH says when it runs): every thread starts
 * when the run starts, the first to appear in the trace (the main thread, normally) as the address space's
 * owner.</li>
 * <li><b>End.</b> A thread whose records end, or whose records hold the process's EXIT, leaves its vCPU
 * ({@link OsEvent.Kind#THREAD_EXIT}); the others go on, and a vCPU's next thread runs. The address space is never torn
 * down: the records end where the capture's window closed, which is not the program's exit (as for an interleaved
 * replay, whose first process's stream simply ends). A vCPU is done when its threads are (or when it has run the
 * run's references, as every vCPU); the run ends when every vCPU is done.</li>
 * <li><b>Fewer threads than vCPUs.</b> The vCPUs without a thread idle from the start (a real VM's would): they run
 * nothing, take no shootdown (none runs the address space), and count as warmed up.</li>
 * <li><b>More threads than vCPUs.</b> A vCPU's threads take turns, switched at every timer interrupt, as the guest
 * switches processes.</li>
 * <li><b>FORK.</b> A thread's fork makes a child process, with a copy of the address space, on the thread's vCPU;
 * the child replays its own pid's records as one stream (its threads interleaved), as in an interleaved replay.</li>
 * <li><b>EXEC.</b> Refused: execve in a multi-threaded program ends every thread but the caller, while the other
 * threads' records, captured before it, would still be replayed in the old program's address space after it.</li>
 * </ul>
 *
 * <p>Each thread reads the trace from its start with a reader of its own and passes over the other threads'
 * records: N threads decompress the trace N times, in exchange for memory that does not grow with the trace.
 */
public final class TraceThreads implements Workload {
    private static final String KEY = "workload.traceThreads";

    private final TraceWorkload trace;
    /** The first process's threads, in order of their first records. */
    private final List<Long> tids;

    private TraceThreads(TraceWorkload trace, List<Long> tids) {
        this.trace = trace;
        this.tids = List.copyOf(tids);
    }

    /**
     * The threads of {@code trace}'s first process, learned by a pass over its records.
     *
     * @param trace    the trace {@code workload.trace} names, or null for none
     * @param settings the run's, for refusals that name the parameter: no trace, synthetic threads asked for too
     *                 ({@code workload.threads}), or a first process that execs
     */
    public static TraceThreads of(TraceWorkload trace, Settings settings) {
        if (trace == null) {
            throw settings.problem(KEY, "per-vcpu replays the threads of a trace: set workload.trace to one, or"
                    + " use interleaved");
        }
        if (settings.intValue("workload.threads") > 0) {
            throw settings.problem("workload.threads", "a replayed trace's threads are its own"
                    + " (workload.traceThreads=per-vcpu): expected 0");
        }
        long pid = trace.firstPid();
        if (trace.images(pid).size() > 1) {
            throw settings.problem(KEY, "the trace's first process (pid " + pid + ") makes an EXEC: execve in a"
                    + " multi-threaded program ends every thread but the caller, and the others' records would be"
                    + " replayed after it in an address space that is gone; replay this trace interleaved");
        }
        return new TraceThreads(trace, threadsOf(trace, pid));
    }

    /**
     * The threads of process {@code pid} with records (a data reference, an event, or instructions before a SWITCH
     * away), in order of their first; the records before the first SWITCH are its main thread's (tid = pid).
     */
    private static List<Long> threadsOf(TraceWorkload trace, long pid) {
        Set<Long> tids = new LinkedHashSet<>();
        try (TraceReader r = TraceReader.open(trace.file())) {
            long p = r.header().pid();
            long t = p;
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                boolean away = kind == TraceReader.EVENT && r.event() instanceof TraceEvent.Switch;
                if (p == pid && (!away || r.gap() != 0)) {
                    tids.add(t);
                }
                if (away) {
                    TraceEvent.Switch s = (TraceEvent.Switch) r.event();
                    p = s.pid();
                    t = s.tid();
                }
            }
        }
        if (tids.isEmpty()) {
            tids.add(pid);
        }
        return new ArrayList<>(tids);
    }

    /** The threads replayed: their tids, thread i first appearing i-th in the trace. */
    public List<Long> tids() {
        return tids;
    }

    @Override
    public boolean threaded() {
        return true;
    }

    @Override
    public List<ReferenceStream> initial() {
        long pid = trace.firstPid();
        List<Region> regions = trace.images(pid).get(0);
        List<ReferenceStream> streams = new ArrayList<>(tids.size());
        for (int i = 0; i < tids.size(); i++) {
            streams.add(TraceStream.thread(TraceReader.open(trace.file()), "t" + i, pid, tids.get(i), regions,
                    trace.present(), trace.fetches()));
        }
        return streams;
    }

    @Override
    public ReferenceStream forked(ReferenceStream parent) {
        return trace.forked(parent);
    }

    @Override
    public ReferenceStream spawned(ReferenceStream parent) {
        return trace.spawned(parent);
    }
}
