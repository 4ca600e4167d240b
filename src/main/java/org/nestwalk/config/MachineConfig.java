package org.nestwalk.config;

import org.nestwalk.cpu.CoreConfig;
import org.nestwalk.cpu.WalkOverlap;
import org.nestwalk.guest.GuestConfig;
import org.nestwalk.hypervisor.HypervisorConfig;
import org.nestwalk.hypervisor.ShadowSync;
import org.nestwalk.memory.CacheConfig;
import org.nestwalk.memory.DramConfig;
import org.nestwalk.memory.DramScheduling;
import org.nestwalk.pagetable.FramePlacement;
import org.nestwalk.pagetable.InvertedShadowTable;
import org.nestwalk.pagetable.IsptLayout;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.tlb.PagingStructureCacheConfig;
import org.nestwalk.tlb.TlbLevelConfig;
import org.nestwalk.tlb.WalkCacheConfig;
import org.nestwalk.walk.VerifyTiming;
import org.nestwalk.walk.WalkerConfig;

/**
 * The simulated machine of DESIGN.md section 2: each vCPU's core, TLBs, walk caches and data caches ({@code vcpus}
 * of them, alike), the shared last-level cache and memory controller, the guest OS and the hypervisor. Built from {@link Settings}, so every field traces back to one
 * documented parameter; combinations that cannot be built are reported against the key the user set. The L1 iTLB
 * ({@code l1Itlb}) is null when instruction fetches are not translated ({@code itlb.enabled=false}).
 */
public record MachineConfig(CoreConfig core, TlbLevelConfig l1Tlb, TlbLevelConfig l2Tlb, TlbLevelConfig l1Itlb,
                            WalkCacheConfig pwc,
                            WalkCacheConfig ntlb, WalkerConfig walkers, CacheConfig l1d, CacheConfig l2,
                            CacheConfig llc, DramConfig dram, FramePlacement placement, GuestConfig guest,
                            HypervisorConfig hypervisor, PagingStructureCacheConfig psc, WalkCacheConfig cwc,
                            int pomEntries, int pomEntries2m, boolean pomWarm, int vcpus) {
    /** A time slice must be worth at least this many process switches. */
    private static final int SWITCHES_PER_QUANTUM = 4;


    /** The machine of DESIGN.md with every default. */
    public static MachineConfig defaults() {
        return from(Settings.defaults());
    }

    /** Builds and cross-checks the machine described by {@code s}. */
    public static MachineConfig from(Settings s) {
        CoreConfig core = new CoreConfig(s.real("core.baseCpi"), s.intValue("core.mlp"), s.intValue("core.robWindow"),
                s.integer("core.quantum"), s.intValue("core.squashPenalty"),
                WalkOverlap.valueOf(s.choice("core.walkOverlap").toUpperCase()));
        TlbLevelConfig l1 = tlbLevel(s, "tlb.l1");
        TlbLevelConfig l2 = tlbLevel(s, "tlb.l2");
        TlbLevelConfig l1i = s.flag("itlb.enabled") ? tlbLevel(s, "itlb") : null;
        boolean intel = s.choice("pwc.kind").equals("intel");
        // One kind of walk cache or the other: with Intel's paging-structure caches the AMD-style PWC is absent.
        WalkCacheConfig pwc = new WalkCacheConfig(intel ? 0 : s.intValue("pwc.entries"), s.intValue("pwc.latency"));
        int levelEntries = s.intValue("pwc.levelEntries");
        int levelWays = s.intValue("pwc.levelWays");
        if (intel) {
            checkSets(s, "pwc.levelEntries", levelEntries, "pwc.levelWays", levelWays);
        }
        PagingStructureCacheConfig psc = new PagingStructureCacheConfig(intel ? levelEntries : 0, levelWays,
                s.intValue("pwc.latency"));
        WalkCacheConfig ntlb = new WalkCacheConfig(s.intValue("ntlb.entries"), s.intValue("ntlb.latency"));
        WalkerConfig walkers = new WalkerConfig(s.intValue("mmu.walkers"),
                VerifyTiming.valueOf(s.choice("spec.verify").toUpperCase().replace('-', '_')),
                s.flag("pwc.flatEntries"));
        CacheConfig l1d = cache(s, "l1d", "L1D");
        CacheConfig l2c = cache(s, "l2", "L2");
        CacheConfig llc = cache(s, "llc", "LLC");
        DramConfig dram = new DramConfig(s.intValue("dram.banks"), s.intValue("dram.rowHitLatency"),
                s.intValue("dram.rowMissLatency"), s.size("dram.rowSize"),
                DramScheduling.valueOf(s.choice("dram.scheduling").toUpperCase()), s.intValue("dram.rowHitCap"));
        FramePlacement placement = FramePlacement.valueOf(s.choice("memory.placement").toUpperCase());

        long guestBytes = s.size("memory.guest");
        long hostBytes = s.size("memory.host");
        PageSize guestPage = pageSize(s.choice("guest.pageSize"));
        PageSize hostPage = pageSize(s.choice("hypervisor.pageSize"));
        if (guestBytes % PageSize.SIZE_2M.bytes() != 0) {
            throw s.problem("memory.guest", "expected a multiple of 2MiB");
        }
        if (hostBytes % PageSize.SIZE_2M.bytes() != 0) {
            throw s.problem("memory.host", "expected a multiple of 2MiB");
        }
        if (hostBytes <= guestBytes) {
            throw s.problem("memory.host", "the host must have more memory than the VM ("
                    + s.text("memory.guest") + ") to hold it and its nested page tables");
        }
        long switchCost = (long) s.intValue("guest.contextSwitchLatency") + s.intValue("hypervisor.vmExitLatency")
                + s.intValue("hypervisor.cr3NewLatency");
        if (s.integer("guest.quantum") < SWITCHES_PER_QUANTUM * switchCost) {
            // A time slice shorter than a few switches leaves a timer interrupt pending at the end of each switch:
            // the guest would do nothing but switch, and the run would never end.
            throw s.problem("guest.quantum", "expected at least " + SWITCHES_PER_QUANTUM + " x the cost of a "
                    + "process switch (guest.contextSwitchLatency + hypervisor.vmExitLatency + "
                    + "hypervisor.cr3NewLatency = " + switchCost + " cycles), so that processes make progress");
        }
        GuestConfig guest = new GuestConfig(guestBytes, guestPage, s.intValue("guest.pageFaultLatency"),
                s.integer("guest.quantum"), s.intValue("guest.contextSwitchLatency"),
                s.intValue("guest.syscallLatency"), s.intValue("guest.invlpgLatency"),
                s.intValue("guest.copyPageLatency"), s.intValue("guest.tlbFlushCeiling"), s.flag("guest.pcid"),
                s.flag("guest.zeroPage"), s.intValue("guest.pagingLevels"));
        IsptLayout isptLayout = IsptLayout.valueOf(s.choice("ispt.layout").toUpperCase());
        int isptLineEntries = s.intValue("ispt.lineEntries");
        int fit = isptLayout.entriesPerLine(InvertedShadowTable.LINE_BYTES);
        if (isptLineEntries > fit) {
            throw s.problem("ispt.lineEntries", "a 64-byte line of the " + s.choice("ispt.layout") + " ISPT holds at"
                    + " most " + fit + " entries of " + isptLayout.entryBytes() + " bytes");
        }
        HypervisorConfig hv = new HypervisorConfig(hostBytes, hostPage, s.intValue("hypervisor.vmExitLatency"),
                s.intValue("hypervisor.nestedFaultLatency"),
                ShadowSync.valueOf(s.choice("hypervisor.shadowSync").toUpperCase()),
                s.intValue("hypervisor.ptWriteLatency"), s.intValue("hypervisor.hiddenFaultLatency"),
                s.intValue("hypervisor.cr3CachedLatency"), s.intValue("hypervisor.cr3NewLatency"),
                s.intValue("hypervisor.invlpgLatency"), s.intValue("hypervisor.faultInjectionLatency"),
                s.intValue("hypervisor.oosPages"), s.intValue("hypervisor.resyncLatency"),
                s.intValue("ispt.entries"), isptLayout, isptLineEntries, s.intValue("hypervisor.nestedLevels"),
                s.intValue("hypervisor.cuckooWays"), s.intValue("hypervisor.agileWrites"),
                s.choice("hypervisor.agileStart").equals("nested"));
        WalkCacheConfig cwc = new WalkCacheConfig(s.intValue("mmu.cwcEntries"), s.intValue("mmu.cwcLatency"));
        return new MachineConfig(core, l1, l2, l1i, pwc, ntlb, walkers, l1d, l2c, llc, dram, placement, guest, hv,
                psc, cwc, s.intValue("tlb.pomEntries"), s.intValue("tlb.pomEntries2m"), s.flag("tlb.pomWarm"),
                s.intValue("machine.vcpus"));
    }

    private static TlbLevelConfig tlbLevel(Settings s, String prefix) {
        int e4 = s.intValue(prefix + ".entries");
        int w4 = s.intValue(prefix + ".ways");
        int e2 = s.intValue(prefix + ".entries2m");
        int w2 = s.intValue(prefix + ".ways2m");
        checkSets(s, prefix + ".entries", e4, prefix + ".ways", w4);
        checkSets(s, prefix + ".entries2m", e2, prefix + ".ways2m", w2);
        return new TlbLevelConfig(e4, w4, e2, w2, s.intValue(prefix + ".latency"));
    }

    private static void checkSets(Settings s, String entriesKey, int entries, String waysKey, int ways) {
        if (entries > 0 && (entries % ways != 0)) {
            String key = s.sourceOf(waysKey).equals("default") ? entriesKey : waysKey;
            throw s.problem(key, "needs " + entriesKey + " (" + entries + ") to be a multiple of " + waysKey
                    + " (" + ways + ")");
        }
    }

    private static CacheConfig cache(Settings s, String prefix, String name) {
        long size = s.size(prefix + ".size");
        int ways = s.intValue(prefix + ".ways");
        if (size / CacheConfig.LINE_BYTES < ways) {
            throw s.problem(prefix + ".size", "holds fewer 64-byte lines than " + prefix + ".ways (" + ways + ")");
        }
        return new CacheConfig(name, size, ways, s.intValue(prefix + ".latency"));
    }

    private static PageSize pageSize(String word) {
        return word.equals("2mib") ? PageSize.SIZE_2M : PageSize.SIZE_4K;
    }
}
