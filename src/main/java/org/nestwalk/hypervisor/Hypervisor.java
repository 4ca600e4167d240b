package org.nestwalk.hypervisor;

import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.pagetable.CuckooNestedTable;
import org.nestwalk.pagetable.FlatNestedTable;
import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.InvertedShadowTable;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.TableWriteObserver;

/**
 * The Xen-like hypervisor's memory management, shared by every virtualized mode: it owns host memory and the VM's
 * guest-physical map (a radix nested table, or a flat nested table), and backs a guest frame with a host frame the
 * first time the guest touches it. When the mode needs one it also allocates the inverted shadow page table. What it
 * must do beyond that (trap page-table writes, keep shadows) is the job of the mode's {@link
 * org.nestwalk.guest.Platform}.
 */
public final class Hypervisor {
    /** The form of the guest-physical map the hardware walks. */
    public enum NestedForm { RADIX, FLAT, HASHED }

    private static final int VM = 1;

    private final HypervisorConfig config;
    private final PhysicalMemory hostMemory;
    private final FrameAllocator hostFrames;
    private final long guestMemoryBytes;
    private final GuestPhysicalMap p2m;
    private final InvertedShadowTable ispt;
    private final CuckooNestedTable cuckoo;
    private long nestedFaults;
    private Runnable invalidateTranslations = () -> { };

    private HandlerWork work;
    private final HandlerWork discarded = new HandlerWork();
    private int account;
    private final TableWriteObserver writes = new TableWriteObserver() {
        @Override
        public void entryWritten(long va, long entryAddress, int level, long oldValue, long newValue) {
            work.reference(entryAddress, true, account);
        }

        @Override
        public void nodeAllocated(long nodeAddress, int level) {
        }
    };

    /**
     * @param form     the guest-physical map's form
     * @param withIspt whether to allocate an inverted shadow page table
     */
    public Hypervisor(HypervisorConfig config, PhysicalMemory hostMemory, FrameAllocator hostFrames,
                      long guestMemoryBytes, NestedForm form, boolean withIspt) {
        this.config = config;
        this.hostMemory = hostMemory;
        this.hostFrames = hostFrames;
        this.guestMemoryBytes = guestMemoryBytes;
        long isptBase = -1;
        long flatBase = -1;
        long flatBytes = FlatNestedTable.sizeBytes(guestMemoryBytes);
        long isptBytes = InvertedShadowTable.sizeBytes(config.isptLayout(), config.isptEntries());
        if (form == NestedForm.FLAT || withIspt) {
            long top = hostFrames.reserveContiguous((form == NestedForm.FLAT ? align(flatBytes) : 0)
                    + (withIspt ? align(isptBytes) : 0));
            flatBase = top;
            isptBase = top + (form == NestedForm.FLAT ? align(flatBytes) : 0);
        }
        if (form == NestedForm.HASHED) {
            long bytes = CuckooNestedTable.sizeBytes(config.cuckooWays(), guestMemoryBytes, config.pageSize());
            this.cuckoo = new CuckooNestedTable(hostFrames.reserveContiguous(align(bytes)), config.cuckooWays(),
                    guestMemoryBytes, config.pageSize());
        } else {
            this.cuckoo = null;
        }
        this.p2m = switch (form) {
            case FLAT -> new FlatMap(new FlatNestedTable(hostMemory, flatBase, guestMemoryBytes));
            case HASHED -> new CuckooMap(cuckoo);
            case RADIX -> new RadixMap(hostMemory, hostFrames, config.nestedLevels());
        };
        this.ispt = withIspt ? InvertedShadowTable.create(config.isptLayout(), isptBase, config.isptEntries(),
                config.isptLineEntries()) : null;
    }

    private static long align(long bytes) {
        return (bytes + PageSize.SIZE_2M.bytes() - 1) & ~PageSize.SIZE_2M.offsetMask();
    }

    public HypervisorConfig config() {
        return config;
    }

    /** The id of the (only) VM. */
    public int vm() {
        return VM;
    }

    /** What nCR3 / EPTP holds: the nested table's root, or the flat table's base. */
    public long nestedRoot() {
        return p2m.root();
    }

    /** The hashed (cuckoo) nested table, or null when the guest-physical map has another form. */
    public CuckooNestedTable cuckoo() {
        return cuckoo;
    }

    /** The inverted shadow page table, or null. */
    public InvertedShadowTable ispt() {
        return ispt;
    }

    /**
     * The guest touches the frame of {@code size} at {@code gpa}: every host page under it that is not backed yet
     * is backed, each a nested page fault (a VM exit) when {@code viaNestedFault}, or silently (memory given to the VM
     * when it was created).
     */
    public void touch(long gpa, PageSize size, HandlerWork handlerWork, boolean viaNestedFault) {
        long piece = config.pageSize().bytes();
        long start = gpa & ~(piece - 1);
        for (long g = start; g < gpa + size.bytes(); g += piece) {
            if (p2m.lookup(g) == null) {
                back(g, handlerWork, viaNestedFault);
            }
        }
    }

    /** A walk met a nested entry that is not present for {@code gpa}: back it. */
    public void nestedFault(long gpa, HandlerWork handlerWork) {
        if (p2m.lookup(gpa) != null) {
            throw new IllegalStateException(String.format("nested fault on 0x%x, which is backed", gpa));
        }
        back(gpa, handlerWork, true);
    }

    /**
     * What the hypervisor runs after changing a mapping, as it would execute INVEPT: the vCPUs' cached translations
     * derived from the nested dimension (NTLB, TLB) are dropped.
     */
    public void onNestedTableChange(Runnable invalidate) {
        this.invalidateTranslations = invalidate;
    }

    /**
     * Takes the host frame away from guest-physical {@code gpa} (reclaim) and invalidates the translations cached
     * from it; the next touch faults again.
     */
    public void reclaim(long gpa) {
        Mapping m = p2m.unmap(gpa, TableWriteObserver.NONE);
        if (m != null) {
            hostFrames.free(m.pageBase(), m.size());
            invalidateTranslations.run();
        }
    }

    /** The system-physical address of guest-physical {@code gpa}, which must be backed. */
    public long systemAddress(long gpa) {
        Mapping m = p2m.lookup(gpa);
        if (m == null) {
            throw new IllegalStateException(String.format("guest-physical 0x%x is not backed", gpa));
        }
        return m.translate(gpa);
    }

    /** The host mapping of {@code gpa}, or null. */
    public Mapping hostMapping(long gpa) {
        return p2m.lookup(gpa);
    }

    /** Whether {@code gpa} has a host frame. */
    public boolean isBacked(long gpa) {
        return p2m.lookup(gpa) != null;
    }

    /** Nested faults handled so far. */
    public long nestedFaults() {
        return nestedFaults;
    }

    public PhysicalMemory hostMemory() {
        return hostMemory;
    }

    public FrameAllocator hostFrames() {
        return hostFrames;
    }

    private void back(long gpa, HandlerWork handlerWork, boolean viaNestedFault) {
        if (gpa < 0 || gpa >= guestMemoryBytes) {
            throw new IllegalStateException(String.format(
                    "guest-physical 0x%x is outside the VM's %d MiB", gpa, guestMemoryBytes >>> 20));
        }
        this.work = handlerWork;
        this.account = HandlerWork.account(ExitCause.NESTED_FAULT);
        if (viaNestedFault) {
            handlerWork.exit(ExitCause.NESTED_FAULT, config.vmExitLatency(), config.nestedFaultLatency());
            nestedFaults++;
        } else {
            // Memory given at VM creation: no exit and no time.
            discarded.reset();
            this.work = discarded;
        }
        PageSize size = config.pageSize();
        p2m.map(gpa & ~size.offsetMask(), hostFrames.allocate(size), size, writes);
    }
}
