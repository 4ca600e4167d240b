package org.nestwalk.config;

import static org.nestwalk.config.Parameter.choice;
import static org.nestwalk.config.Parameter.flag;
import static org.nestwalk.config.Parameter.integer;
import static org.nestwalk.config.Parameter.powerOfTwo;
import static org.nestwalk.config.Parameter.real;
import static org.nestwalk.config.Parameter.size;
import static org.nestwalk.config.Parameter.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.util.Spelling;

/**
 * Every parameter of a run with its default: the one documented table of DESIGN.md section 5 and
 * {@code reference/mechanisms.md}. Values marked "(assumed)" are not given by the sources; they are the most plausible
 * choice and exist as parameters precisely so that they can be swept. {@code nestwalk params} prints this table.
 */
public final class Parameters {
    private static final long GiB = 1L << 30;

    private static final List<Parameter> ALL = List.of(
            real("core.baseCpi", 1.0, 0.05, 100, "cycles per instruction when no access misses the L1 cache or TLB"),
            integer("core.mlp", 2, 1, 64, "DRAM data misses the core can have in flight (memory-level parallelism)"),
            integer("core.robWindow", 192, 1, 100_000,
                    "instructions the core may run past an unfinished DRAM miss before its reorder buffer fills"),
            integer("core.squashPenalty", 30, 0, 100_000,
                    "cycles to squash and restart after a mis-speculated translation, like a branch mispredict"
                            + " (assumed)"),
            choice("core.walkOverlap", "rob", List.of("rob", "none"),
                    "what the core does while a page walk is outstanding, the same rule in every mode: rob ="
                            + " younger independent references run on within core.robWindow and core.mlp, a"
                            + " younger TLB miss starts its own walk on a free walker or queues for one, a dependent"
                            + " load waits; none = the core stops at every TLB miss until its translation (or a"
                            + " speculative one) is there, the machine of nestwalk before 0.2"),
            integer("core.quantum", 100_000, 1, 1L << 40,
                    "cycles the vCPU runs inline before yielding to the event list (simulation artefact; results do"
                            + " not depend on it)"),

            integer("machine.vcpus", 1, 1, 64,
                    "vCPUs of the VM, each with its own core, TLBs, walk caches, L1D, L2 and page walkers, sharing"
                            + " the LLC, the memory controller and the hypervisor; the guest runs one copy of the"
                            + " workload on each (or, with workload.threads, the threads of one program); every"
                            + " vCPU runs the run's references (1: the machine of nestwalk before issue 16)"),

            integer("machine.vms", 1, 1, 16,
                    "VMs on the machine, each with machine.vcpus vCPUs, its own guest OS, page tables, hypervisor"
                            + " state and copy of the workload (random streams of its own), sharing the LLC, the"
                            + " memory controller and host memory (1: one VM; not with mode native)"),
            integer("machine.vmOffset", 0, 0, 15,
                    "the number of the machine's first VM, which names its random streams: machine.vms=1 with"
                            + " machine.vmOffset=v runs VM v of a consolidated machine alone (its solo run)"),
            text("machine.vmWorkloads", "same",
                    "what each VM runs, first VM first: same = every VM the run's workload; or one entry per VM,"
                            + " separated by commas, each '-' (the run's workload), a workload preset's name (the"
                            + " run's settings with the preset's workload values applied) or trace:FILE (a trace of"
                            + " its own, replayed as workload.trace is), e.g. -,gups or trace:a.trace,trace:b.trace"),
            flag("machine.runOn", false,
                    "with several vCPUs or VMs, one that has run its references (where its own figures end, as"
                            + " alone) goes on running its workload until the last one has (a trace until its end),"
                            + " so that each has busy neighbours for its whole run; false: each stops at its"
                            + " references"),
            flag("machine.aloneRuns", false,
                    "with several VMs, also simulate each VM alone on this machine (machine.vms=1 with its"
                            + " machine.vmOffset and workload: the whole LLC, DRAM and host memory its own), so that"
                            + " each VM's slowdown from co-running is reported (vmK.slowdown); one run per VM more"),
            integer("machine.ipiLatency", 500, 1, 10_000_000,
                    "cycles from one vCPU sending an inter-processor interrupt (or a shootdown's acknowledgement) to"
                            + " its arrival at another"),
            flag("guest.tlbShootdowns", true,
                    "the guest OS interrupts the other vCPUs of an address space it changed, to invalidate their"
                            + " TLBs; false: it does not (an incorrect OS, the control case of the stale-translation"
                            + " check)"),
            integer("guest.shootdownLatency", 500, 0, 10_000_000,
                    "cycles of the guest's TLB-shootdown interrupt handler on a target vCPU, around its"
                            + " invalidations"),
            flag("hypervisor.shadowLock", true,
                    "with several vCPUs, the hypervisor's shadow-paging work (write emulation, shadow faults,"
                            + " INVLPG and CR3 handling, resynchronization) holds one lock per VM, as Xen's paging"
                            + " lock: the vCPUs' handlers are serialized and wait for it; false: they run in"
                            + " parallel"),
            flag("hypervisor.postedInterrupts", false,
                    "IPIs reach a vCPU in guest mode without a VM exit (posted interrupts); false: each one exits"
                            + " (cause ipi)"),
            integer("hypervisor.ipiLatency", 1500, 0, 10_000_000,
                    "cycles of the hypervisor's handling of an IPI exit (taking and injecting the interrupt)"),

            powerOfTwo("tlb.l1.entries", 64, 0, 1 << 20, "L1 dTLB entries for 4 KiB pages"),
            powerOfTwo("tlb.l1.ways", 4, 1, 1 << 20, "associativity of the L1 dTLB 4 KiB array"),
            powerOfTwo("tlb.l1.entries2m", 32, 0, 1 << 20, "L1 dTLB entries for 2 MiB pages"),
            powerOfTwo("tlb.l1.ways2m", 4, 1, 1 << 20, "associativity of the L1 dTLB 2 MiB array"),
            integer("tlb.l1.latency", 1, 0, 1000,
                    "cycles of an L1 dTLB lookup; overlapped with the L1D access on a hit, paid before the L2 probe"
                            + " on a miss"),
            powerOfTwo("tlb.l2.entries", 512, 0, 1 << 20, "L2 TLB entries for 4 KiB pages"),
            powerOfTwo("tlb.l2.ways", 4, 1, 1 << 20, "associativity of the L2 TLB 4 KiB array"),
            powerOfTwo("tlb.l2.entries2m", 0, 0, 1 << 20,
                    "L2 TLB entries for 2 MiB pages (Sandy Bridge's L2 holds none) (assumed)"),
            powerOfTwo("tlb.l2.ways2m", 4, 1, 1 << 20, "associativity of the L2 TLB 2 MiB array"),
            integer("tlb.l2.latency", 7, 0, 1000, "cycles of an L2 TLB lookup"),
            flag("itlb.enabled", true,
                    "translate instruction fetches: a trace's instruction-page changes look up an L1 iTLB, whose misses"
                            + " share the L2 TLB and the page walkers, and the core fetches nothing past an iTLB miss"
                            + " until its translation is there (synthetic workloads fetch no instructions; instruction"
                            + " lines are taken to hit the L1 instruction cache)"),
            powerOfTwo("itlb.entries", 64, 0, 1 << 20,
                    "L1 iTLB entries for 4 KiB pages (Sandy Bridge: 128, 4-way; Skylake: 128, 8-way; assumed 64 like"
                            + " the L1 dTLB)"),
            powerOfTwo("itlb.ways", 4, 1, 1 << 20, "associativity of the L1 iTLB 4 KiB array"),
            powerOfTwo("itlb.entries2m", 8, 0, 1 << 20,
                    "L1 iTLB entries for 2 MiB pages (Sandy Bridge and Skylake: 8 per thread)"),
            powerOfTwo("itlb.ways2m", 8, 1, 1 << 20, "associativity of the L1 iTLB 2 MiB array (8: fully)"),
            integer("itlb.latency", 1, 0, 1000,
                    "cycles an L1 iTLB lookup adds when it misses and the L2 TLB is looked up (like tlb.l1.latency)"),
            powerOfTwo("tlb.pomEntries", 1 << 20, 4, 1 << 26,
                    "pom-tlb: entries of the part-of-memory TLB for 4 KiB translations, 16 bytes each, a set of 4 in"
                            + " each 64-byte line (2^20: the 16 MiB POM-TLB of Ryoo et al., ISCA 2017)"),
            powerOfTwo("tlb.pomEntries2m", 1 << 16, 0, 1 << 26,
                    "pom-tlb: entries of its partition for 2 MiB translations, probed after a miss in the 4 KiB one"
                            + " once it holds anything (assumed)"),
            flag("tlb.pomWarm", true,
                    "pom-tlb: the POM-TLB starts with the translations of the pages already present, as the ISPT"
                            + " does (the steady state: they have been walked, and it is large enough to keep them);"
                            + " false: it starts empty, and explain shows a miss"),

            integer("mmu.walkers", 1, 1, 64,
                    "page walkers per vCPU: walks in flight at once, each with its own miss register; a TLB miss"
                            + " that finds every walker busy waits for one, in order (1: Sandy Bridge's single"
                            + " page-miss handler; Broadwell and later have 2; Virtuoso's virtualized machine 4)"),
            integer("mmu.cwcEntries", 16, 0, 4096,
                    "hashed-nested: entries of the cuckoo walk cache, which remembers the way of the cuckoo table"
                            + " holding a cluster of 8 guest pages so that a nested translation reads one line"
                            + " instead of d; 0: none, every nested translation reads all d (assumed)"),
            integer("mmu.cwcLatency", 1, 0, 1000, "cycles of a cuckoo walk cache probe (assumed: as the NTLB's)"),
            integer("pwc.entries", 24, 0, 4096,
                    "page walk cache entries: upper-level page-table entries of both dimensions, tagged by the"
                            + " entry's system-physical address, fully associative (assumed)"),
            integer("pwc.latency", 2, 0, 1000, "cycles of a PWC probe (assumed); with pwc.kind=intel, of a probe of"
                    + " all levels of the paging-structure caches at once"),
            choice("pwc.kind", "amd", List.of("amd", "intel"),
                    "the walk caches: amd = one page walk cache of pwc.entries entries tagged by each entry's"
                            + " system-physical address, which spares a reference per upper-level entry it holds"
                            + " (Bhargava et al., ASPLOS 2008); intel = paging-structure caches per upper level and"
                            + " per dimension, tagged by the address prefix, which let a walk skip every level above"
                            + " the longest prefix held, and under EPT the nested translations of the guest tables"
                            + " above it too (Intel SDM vol. 3, 4.10.3 and 29.4)"),
            powerOfTwo("pwc.levelEntries", 32, 1, 4096,
                    "with pwc.kind=intel: entries of each level's paging-structure cache, in each dimension (Intel"
                            + " publishes no size; 32 per level as in Virtuoso's configurations, CMU-SAFARI/Virtuoso"
                            + " virtuoso_pomtlb.cfg) (assumed)"),
            powerOfTwo("pwc.levelWays", 4, 1, 4096,
                    "with pwc.kind=intel: associativity of each level's paging-structure cache (4, as in Virtuoso's"
                            + " configurations) (assumed)"),
            flag("pwc.flatEntries", false,
                    "flat-nested and spec-shadow walks keep flat-table entries (the nested dimension's leaves) in the"
                            + " PWC beside the upper-level entries of both dimensions; false: they go through the data"
                            + " caches only, like leaf entries (results/pwc-flat-entries: flat entries in the PWC evict"
                            + " upper levels and raise references per walk)"),
            integer("ntlb.entries", 16, 0, 4096,
                    "nested TLB entries: guest-physical to system-physical translations, fully associative (assumed)"),
            integer("ntlb.latency", 1, 0, 1000, "cycles of an NTLB probe (assumed)"),

            size("l1d.size", "32KiB", 64, GiB, true, "L1 data cache capacity (per vCPU)"),
            powerOfTwo("l1d.ways", 8, 1, 1024, "L1 data cache associativity"),
            integer("l1d.latency", 4, 0, 1000, "load-to-use cycles of an L1D hit"),
            size("l2.size", "256KiB", 64, GiB, true, "L2 cache capacity (per vCPU)"),
            powerOfTwo("l2.ways", 8, 1, 1024, "L2 cache associativity"),
            integer("l2.latency", 12, 0, 1000, "load-to-use cycles of an L2 hit"),
            size("llc.size", "8MiB", 64, 64 * GiB, true, "last-level cache capacity (shared)"),
            powerOfTwo("llc.ways", 16, 1, 1024, "last-level cache associativity"),
            choice("llc.partition", "shared", List.of("shared", "vm"),
                    "with several VMs: shared = one LLC for all; vm = each VM has a slice of llc.size / machine.vms"
                            + " (same ways, fewer sets, as page colouring gives), nobody else's lines in it"),
            choice("dram.partition", "shared", List.of("shared", "vm"),
                    "with several VMs: shared = one memory controller and one host memory for all; vm = each VM"
                            + " has a controller of its own (a channel, dram.* each) and memory.host / machine.vms of"
                            + " host memory"),
            integer("llc.latency", 40, 0, 10_000, "load-to-use cycles of an LLC hit"),

            powerOfTwo("dram.banks", 8, 1, 1024, "DRAM banks behind the memory controller"),
            integer("dram.rowHitLatency", 120, 1, 100_000, "cycles of a DRAM access to the open row"),
            integer("dram.rowMissLatency", 200, 1, 100_000, "cycles of a DRAM access to a closed row"),
            size("dram.rowSize", "8KiB", 64, GiB, true, "bytes per DRAM row per bank (assumed)"),
            choice("dram.scheduling", "frfcfs", List.of("frfcfs", "fcfs"),
                    "order a bank serves its queue: first-ready FCFS (row hits first) or FCFS"),
            integer("dram.rowHitCap", 0, 0, 1_000_000,
                    "under FR-FCFS, row hits a bank may serve ahead of its oldest waiting request before that one goes"
                            + " next (FR-FCFS+Cap, Mutlu and Moscibroda 2007; the value is assumed, sweep it); 0: no"
                            + " bound, so a program streaming through open rows can starve the others' misses"),

            size("memory.guest", "4GiB", 1L << 21, 1L << 46, false,
                    "the VM's memory: size of the guest-physical address space"),
            size("memory.host", "16GiB", 1L << 21, 1L << 46, false,
                    "the host's memory: size of the system-physical address space"),
            choice("memory.placement", "scattered", List.of("scattered", "shuffled", "sequential"),
                    "where frame allocators place frames: 2 MiB regions in seeded random order; shuffled: and the"
                            + " 4 KiB frames in each (every cache and bank index varies by replication, as traces"
                            + " need); or ascending"),

            choice("guest.pageSize", "4KiB", List.of("4kib", "2mib"),
                    "page size the guest maps data with (2MiB: transparent huge pages everywhere)"),
            integer("guest.pageFaultLatency", 1500, 0, 10_000_000,
                    "cycles of the guest page-fault handler beyond its page-table writes"),
            integer("guest.quantum", 3_000_000, 1000, 1L << 40,
                    "cycles between two timer interrupts: the scheduler's time slice (about 1 ms) (assumed)"),
            integer("guest.contextSwitchLatency", 2000, 0, 10_000_000,
                    "cycles of the guest scheduler switching processes, beyond loading CR3 (assumed)"),
            integer("guest.syscallLatency", 500, 0, 10_000_000,
                    "cycles of entering and leaving the kernel for mmap, munmap, fork, exit, wait (assumed)"),
            integer("guest.invlpgLatency", 100, 0, 10_000_000, "cycles of an INVLPG executed natively (assumed)"),
            integer("guest.copyPageLatency", 1000, 0, 10_000_000,
                    "cycles to copy a 4 KiB page (copy-on-write break, page migration) (assumed)"),
            integer("guest.tlbFlushCeiling", 33, 0, 1_000_000,
                    "pages above which munmap flushes the whole TLB instead of one INVLPG per page (Linux's"
                            + " tlb_single_page_flush_ceiling)"),
            flag("guest.pcid", true, "TLB entries are tagged by process (PCID): a context switch flushes nothing"),
            integer("guest.pagingLevels", 4, 4, 5,
                    "levels of the page tables indexed by virtual address (the guest's, a native process's, the"
                            + " shadow tables): 4 = 48-bit virtual addresses; 5 = LA57, 57-bit (Intel SDM vol. 3,"
                            + " 4.5: a PML5 above the PML4). A cold 2D walk makes (g+1)(n+1) - 1 references: 35 with 5"
                            + " levels in both dimensions"),
            flag("guest.zeroPage", true, "a first read of an anonymous page maps the shared zero page read-only; the"
                    + " first write then faults again for a page of its own (Linux)"),
            choice("hypervisor.pageSize", "4KiB", List.of("4kib", "2mib"),
                    "size of the nested mappings the hypervisor creates when it backs guest memory"),
            integer("hypervisor.nestedLevels", 4, 4, 5,
                    "levels of the radix nested page table (nested, agile and POM-TLB modes): 4, or 5 as with a"
                            + " 5-level EPT (Intel SDM vol. 3, 29.3.2: the EPTP's page-walk length)"),
            integer("hypervisor.cuckooWays", 3, 2, 8,
                    "hashed-nested: d, the ways of the VM's cuckoo nested table, each read once (all at once) per"
                            + " nested translation; the table is sized for the whole VM, at most half full (assumed:"
                            + " elastic cuckoo page tables are d-ary with a small d; Virtuoso's configurations use 2"
                            + " and 4)"),
            integer("hypervisor.agileWrites", 2, 1, 1_000_000,
                    "agile: writes to a shadowed guest page-table page the hypervisor traps within one interval (from"
                            + " one context switch to the process to the next) that move the page, and all below it,"
                            + " to nested mode; a nested page not written in an interval goes back to shadow mode"
                            + " (assumed: Gandhi et al. move a page after repeated writes)"),
            choice("hypervisor.agileStart", "shadow", List.of("shadow", "nested"),
                    "agile: whether a new address space starts with every page shadowed or all of it nested"),
            integer("hypervisor.vmExitLatency", 1000, 0, 10_000_000, "cycles of a VM exit plus the VM entry"),
            integer("hypervisor.nestedFaultLatency", 2000, 0, 10_000_000,
                    "cycles of the nested-page-fault handler beyond the exit and its nested-table writes (assumed:"
                            + " the shadow hidden-fault cost)"),
            choice("hypervisor.shadowSync", "oos", List.of("trap", "oos"),
                    "shadow paging: trap every guest page-table write, or let guest L1 tables go out of sync and"
                            + " resynchronise them at the guest's TLB flushes (Xen 3.3+, its default)"),
            integer("hypervisor.ptWriteLatency", 2000, 0, 10_000_000,
                    "cycles to emulate a trapped guest page-table write and update the shadow"),
            integer("hypervisor.hiddenFaultLatency", 2000, 0, 10_000_000,
                    "cycles to fill a shadow entry the guest already has (a hidden fault)"),
            integer("hypervisor.cr3CachedLatency", 2000, 0, 10_000_000,
                    "cycles of a guest CR3 write whose shadow table exists"),
            integer("hypervisor.cr3NewLatency", 10_000, 0, 10_000_000,
                    "cycles of a guest CR3 write that needs a new shadow table"),
            integer("hypervisor.invlpgLatency", 1000, 0, 10_000_000, "cycles to handle a trapped INVLPG"),
            integer("hypervisor.faultInjectionLatency", 1000, 0, 10_000_000,
                    "cycles to reflect a true guest page fault into the guest (assumed)"),
            integer("hypervisor.oosPages", 3, 1, 4096,
                    "guest L1 tables that may be out of sync at once per vCPU (Xen's SHADOW_OOS_PAGES) (assumed)"),
            integer("hypervisor.resyncLatency", 2000, 0, 10_000_000,
                    "cycles to resynchronise one out-of-sync guest L1 table, beyond reading it (assumed)"),
            powerOfTwo("ispt.entries", 1 << 20, 8, 1 << 28,
                    "page entries of the inverted shadow page table (16 bytes each hashed, 8 clustered); the"
                            + " default is one per frame of the default 4 GiB VM (assumed)"),
            choice("ispt.layout", "clustered", List.of("clustered", "hashed"),
                    "where a page's ISPT entry lives: clustered = one 64-byte line per block of consecutive"
                            + " pages under one tag, indexed by block plus an offset per address space (clustered"
                            + " page tables); hashed = one 16-byte tagged entry per page in a line picked by a hash"),
            powerOfTwo("ispt.lineEntries", 0, 0, 8,
                    "page entries per 64-byte ISPT line (0: as many as fit, 4 hashed or 8 clustered)"),
            choice("spec.verify", "parallel", List.of("parallel", "after-probe"),
                    "spec-shadow: the walker starts the verifying flat-nested walk together with the ISPT probe"
                            + " (an ISPT miss then costs the walk alone), or after the probe returns"),

            text("workload.trace", "none", "a trace of a real program to replay instead of the synthetic generator"
                    + " (docs/trace-format.md; 'nestwalk trace' makes one); none: synthetic"),
            choice("workload.traceThreads", "interleaved", List.of("interleaved", "per-vcpu"),
                    "how a trace's threads run: interleaved = each process as one stream, its threads in the order"
                            + " the capture serialized them, and with several vCPUs a copy of the trace on each;"
                            + " per-vcpu = the first process's threads (SWITCH tids) replayed each in its own order"
                            + " in one shared address space, thread i on vCPU i mod machine.vcpus, so the interleaving"
                            + " is the simulator's (docs/trace-format.md, 'Replaying threads')"),
            choice("workload.pattern", "uniform", List.of("uniform", "stream", "zipf", "chase"),
                    "how the next data address is chosen"),
            size("workload.footprint", "1GiB", 4096, 1L << 45, false, "bytes of virtual memory the references touch"),
            real("workload.writeFraction", 0.3, 0, 1, "fraction of references that are stores"),
            integer("workload.instructionsPerRef", 3, 1, 1_000_000,
                    "instructions per data reference, the referencing one included"),
            size("workload.stride", "8", 8, GiB, false, "bytes between consecutive references of a stream"),
            real("workload.zipfExponent", 0.99, 0, 10, "skew of the Zipf popularity law over pages"),
            flag("workload.prefault", true,
                    "map the whole footprint before the run (pages already present); false: demand paging"),
            integer("workload.lifetime", 0, 0, 1L << 50,
                    "references a program makes before it exits (0: runs for ever); with a lifetime a driver keeps"
                            + " workload.concurrency programs running"),
            integer("workload.concurrency", 1, 1, 64, "programs running at once under the driver"),
            integer("workload.forkEvery", 0, 0, 1L << 50,
                    "references between two forks of a short-lived child (0: no forks)"),
            integer("workload.childReferences", 50_000, 0, 1L << 50,
                    "references a forked child makes over its parent's footprint before it exits"),
            integer("workload.mmapEvery", 0, 0, 1L << 50,
                    "references between two rounds of mmap/munmap churn (0: none)"),
            size("workload.mmapSize", "1MiB", 4096, 1L << 40, false,
                    "bytes each churn round maps, touches page by page, and unmaps at the next round"),
            integer("workload.remapEvery", 0, 0, 1L << 50,
                    "references between two remaps of a live page of the footprint (migration; 0: none)"),
            integer("workload.threads", 0, 0, 64,
                    "threads of one synthetic program sharing its address space, thread i on vCPU i mod"
                            + " machine.vcpus (0: one independent program per vCPU); each thread references the"
                            + " shared footprint with streams of its own, and its mmap churn, remaps and"
                            + " mprotects change the address space of all"),
            integer("workload.mprotectEvery", 0, 0, 1L << 50,
                    "references between two mprotects of a page of the footprint: write permission taken away,"
                            + " then given back (0: none)"));

    private static final Map<String, Parameter> BY_KEY;

    static {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter p : ALL) {
            if (m.put(p.key(), p) != null) {
                throw new IllegalStateException("duplicate parameter " + p.key());
            }
            // The default must itself be valid, or every run would fail.
            p.parse(p.defaultValue(), "default");
        }
        BY_KEY = Collections.unmodifiableMap(m);
    }

    private Parameters() {
    }

    /** All parameters in documentation order. */
    public static List<Parameter> all() {
        return ALL;
    }

    /** The parameter with this key, or an error naming the closest known key. */
    public static Parameter get(String key, String source) {
        Parameter p = BY_KEY.get(key);
        if (p == null) {
            throw new ConfigException(source + ": unknown key '" + key + "'" + Spelling.hint(key, BY_KEY.keySet())
                    + "; 'nestwalk params' lists every key");
        }
        return p;
    }

    static boolean isKnown(String key) {
        return BY_KEY.containsKey(key);
    }

    /** Names of all keys, for listings. */
    public static List<String> keys() {
        return new ArrayList<>(BY_KEY.keySet());
    }

}
