package org.nestwalk.sim;

import java.util.List;
import org.nestwalk.cpu.VCpuStats;
import org.nestwalk.memory.MemoryLevel;
import org.nestwalk.walk.ServedBy;
import org.nestwalk.walk.TableKind;

/**
 * The outcome of one run: the spec and what happened in its measured interval (after warm-up), with the derived
 * figures reports print. Reporting reads this value and never reaches into the model.
 *
 * @param spec          what was run
 * @param interval      the measured interval: counters at the end minus counters at the end of warm-up
 * @param events        discrete events the whole run executed (warm-up included)
 * @param wallNanos     wall-clock time of the whole run (for speed reports only; no result depends on it)
 * @param aloneCycles   with {@code machine.aloneRuns} and several VMs, each VM's cycles in its run alone (VM order);
 *                      empty otherwise
 */
public record RunResult(RunSpec spec, Snapshot interval, long events, long wallNanos, List<Long> aloneCycles) {

    public RunResult {
        aloneCycles = List.copyOf(aloneCycles);
    }

    /** A run without solo runs of its VMs. */
    public RunResult(RunSpec spec, Snapshot interval, long events, long wallNanos) {
        this(spec, interval, events, wallNanos, List.of());
    }

    /** VMs on the machine. */
    public int vms() {
        int n = 1;
        for (CpuSnapshot c : interval.vcpus()) {
            n = Math.max(n, c.vm() + 1);
        }
        return n;
    }

    /** Cycles VM {@code v} ran: the longest own interval of its vCPUs. */
    public long vmCycles(int v) {
        return vms() == 1 ? cycles() : interval.vmCycles(v);
    }

    /** VM {@code v}'s counters, added up over its vCPUs. */
    public VCpuStats vmCpu(int v) {
        VCpuStats sum = null;
        for (CpuSnapshot c : interval.vcpus()) {
            if (c.vm() == v) {
                sum = sum == null ? c.cpu() : sum.plus(c.cpu());
            }
        }
        return sum == null ? interval.cpu() : sum;
    }

    /** Lookups of the LLC by VM {@code v}'s vCPUs that missed. */
    public long vmLlcMisses(int v) {
        if (vms() == 1) {
            return interval.cacheMisses()[2];
        }
        long n = 0;
        for (CpuSnapshot c : interval.vcpus()) {
            if (c.vm() == v) {
                n += c.cacheMisses()[2];
            }
        }
        return n;
    }

    /** VM {@code v}'s cycles over its cycles alone, or NaN without solo runs. */
    public double vmSlowdown(int v) {
        return v < aloneCycles.size() ? ratio(vmCycles(v), aloneCycles.get(v)) : Double.NaN;
    }

    /**
     * Cycles of the measured interval: from the end of the warm-up (the last vCPU's) to the end of the run (the last
     * vCPU's); with one vCPU, its cycles.
     */
    public long cycles() {
        return interval.time();
    }

    /**
     * vCPU-cycles of the measured interval: the sum of each vCPU's own cycles (with one vCPU, {@link #cycles()}).
     * Shares of cycles (translation, hypervisor) and the IPC are per vCPU-cycle, so that they mean the same with any
     * number of vCPUs.
     */
    public long vcpuCycles() {
        return interval.vcpuCycles();
    }

    /** vCPUs the run simulated. */
    public int vcpus() {
        return Math.max(1, interval.vcpus().size());
    }

    public long references() {
        return interval.cpu().references();
    }

    public long instructions() {
        return interval.cpu().instructions();
    }

    /** Instructions per cycle of one vCPU (per vCPU-cycle). */
    public double ipc() {
        return ratio(instructions(), vcpuCycles());
    }

    /** Cycles spent on L2 TLB lookups and page walks. */
    public long translationCycles() {
        return interval.cpu().translationCycles();
    }

    /** Share of the runtime spent translating. */
    public double translationShare() {
        return ratio(translationCycles(), vcpuCycles());
    }

    /** L1 dTLB misses per lookup. */
    public double l1TlbMissRate() {
        return ratio(interval.cpu().l1TlbMisses(), interval.cpu().tlbLookups());
    }

    /** L2 TLB misses per L2 lookup (local miss rate). */
    public double l2TlbMissRate() {
        return ratio(interval.cpu().tlbMisses(), interval.cpu().l1TlbMisses());
    }

    /** TLB misses (walks started by a miss) per thousand instructions. */
    public double tlbMpki() {
        return 1000.0 * ratio(interval.cpu().tlbMisses(), instructions());
    }

    /** Instruction-fetch TLB misses (L1 iTLB and L2 TLB) per thousand instructions. */
    public double itlbMpki() {
        return 1000.0 * ratio(interval.cpu().itlbMisses(), instructions());
    }

    /** L1 iTLB misses per thousand instructions. */
    public double l1ItlbMpki() {
        return 1000.0 * ratio(interval.cpu().l1ItlbMisses(), instructions());
    }

    /** Walks, including those repeated after a fault. */
    public long walks() {
        return interval.walks().walks();
    }

    public double walkLatency() {
        return ratio(interval.walks().cycles(), walks());
    }

    /** Memory references per walk, all tables. */
    public double referencesPerWalk() {
        return ratio(interval.walks().references(), walks());
    }

    /** Memory references per walk to one table. */
    public double referencesPerWalk(TableKind table) {
        return ratio(interval.walks().references(table), walks());
    }

    /** Memory references per walk that the vCPU waited for (all of them unless the walk speculated). */
    public double criticalReferencesPerWalk() {
        return ratio(interval.walks().criticalReferences(), walks());
    }

    /** Memory references per walk to the tables indexed by virtual address: guest, native or shadow. */
    public double virtualDimensionReferencesPerWalk() {
        return referencesPerWalk(TableKind.GUEST) + referencesPerWalk(TableKind.NATIVE)
                + referencesPerWalk(TableKind.SHADOW);
    }

    /** Memory references per walk to the nested dimension: the nested, flat or hashed table. */
    public double nestedDimensionReferencesPerWalk() {
        return referencesPerWalk(TableKind.NESTED) + referencesPerWalk(TableKind.FLAT)
                + referencesPerWalk(TableKind.HASHED);
    }

    public double isptHitRate() {
        return ratio(interval.isptHits(), interval.isptProbes());
    }

    /** Cuckoo walk cache hits per probe; NaN without one (not a hashed nested dimension, or 0 entries). */
    public double cwcHitRate() {
        SchemeCounters c = interval.schemes();
        return c.cwcProbes() == 0 ? Double.NaN : (double) c.cwcHits() / c.cwcProbes();
    }

    /** POM-TLB hits per lookup; NaN without a POM-TLB. */
    public double pomTlbHitRate() {
        SchemeCounters c = interval.schemes();
        return c.pomProbes() == 0 ? Double.NaN : (double) c.pomHits() / c.pomProbes();
    }

    /** References per walk to the POM-TLB; NaN without a POM-TLB. */
    public double pomTlbReferencesPerWalk() {
        return interval.schemes().pomProbes() == 0 ? Double.NaN : referencesPerWalk(TableKind.POM_TLB);
    }

    /** Guest page-table pages agile paging moved to nested mode in the interval; NaN for the other modes. */
    public double agileToNested() {
        return interval.schemes().agile() ? interval.schemes().agileToNested() : Double.NaN;
    }

    /** Pages agile paging moved back to shadow mode in the interval; NaN for the other modes. */
    public double agileToShadow() {
        return interval.schemes().agile() ? interval.schemes().agileToShadow() : Double.NaN;
    }

    /** Speculatively used translations the verification disagreed with, per speculation. */
    public double misspeculationRate() {
        return ratio(interval.cpu().misspeculations(), interval.cpu().speculations());
    }

    public long exits(org.nestwalk.cpu.ExitCause cause) {
        return interval.cpu().exits(cause);
    }

    /** Share of the runtime in VM exits and their handlers. */
    public double hypervisorShare() {
        return ratio(interval.cpu().hypervisorCycles(), vcpuCycles());
    }

    /** Share of the walkers' capacity in use: cycles walkers were busy / (walkers x cycles). */
    public double walkerOccupancy() {
        return ratio(interval.walks().busyCycles(), (double) vcpuCycles() * spec.machine().walkers().walkers());
    }

    /** Mean cycles a walk waited for a free walker (0 for the walks that found one). */
    public double walkQueueDelay() {
        return ratio(interval.walks().queueCycles(), walks());
    }

    /** Share of the references the core ran past while an older one waited for its translation. */
    public double overlappedShare() {
        return ratio(interval.cpu().overlappedReferences(), references());
    }

    /** References executed and thrown away by squashes (faults, mis-speculations, store replays), per reference. */
    public double squashedPerReference() {
        return ratio(interval.cpu().squashedReferences(), references());
    }

    /** Walk references that went to DRAM, per walk. */
    public double dramPerWalk() {
        return ratio(interval.walks().servedBy(ServedBy.DRAM), walks());
    }

    public double pwcHitRate() {
        return ratio(interval.pwcHits(), interval.pwcProbes());
    }

    public double ntlbHitRate() {
        return ratio(interval.ntlbHits(), interval.ntlbProbes());
    }

    /** Data references served by DRAM, per reference. */
    public double dataDramRate() {
        return ratio(interval.cpu().dataServed(MemoryLevel.DRAM), references());
    }

    public double dramQueueDelay() {
        return interval.dram().meanQueueDelay();
    }

    public long pageFaults() {
        return interval.cpu().pageFaults();
    }

    public long vmExits() {
        long n = 0;
        for (long e : interval.cpu().exits()) {
            n += e;
        }
        return n;
    }

    /** Share of the runtime in the guest OS and the hypervisor (fault handling, VM exits). */
    public double systemShare() {
        return ratio(interval.cpu().guestOsCycles() + interval.cpu().hypervisorCycles(), vcpuCycles());
    }

    /** Simulated references per wall-clock second, whole run, every vCPU's. */
    public double referencesPerSecond() {
        return wallNanos == 0 ? 0 : (double) spec.references() * vcpus() * 1e9 / wallNanos;
    }

    private static double ratio(double a, double b) {
        return b == 0 ? 0 : a / b;
    }
}
