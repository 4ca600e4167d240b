package org.nestwalk.hypervisor;

import java.util.HashMap;
import java.util.Map;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.pagetable.TableWriteObserver;

/**
 * One address space's shadow table under agile paging: gVA to sPA like a shadow table, except above the guest
 * page-table pages in nested mode, where the entry is a switch entry ({@link Pte#SWITCH}) holding the guest page's
 * system-physical address, and nothing is shadowed below it. When the guest's root page is nested the register
 * holds the switch bit instead of a root, and the walk is nested from the start. Every entry the hypervisor writes,
 * and every page-table page it protects or unprotects, is a reference of the handler it works for.
 */
final class AgileShadow {
    private final GuestProcess process;
    private final Hypervisor hypervisor;
    private final PhysicalMemory guestMemory;
    private final PhysicalMemory hostMemory;
    private final AgilePolicy policy;
    private final Map<Long, Long> switchTargets;
    private final int levels;
    /** For each page-table page the policy knows: its level, and an address whose walk goes through it. */
    private final Map<Long, Integer> pageLevel = new HashMap<>();
    private final Map<Long, Long> pageVa = new HashMap<>();
    private RadixPageTable shadow;
    private HandlerWork work;
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

    AgileShadow(GuestProcess process, Hypervisor hypervisor, PhysicalMemory guestMemory, PhysicalMemory hostMemory,
                AgilePolicy policy, Map<Long, Long> switchTargets, boolean startNested) {
        this.process = process;
        this.hypervisor = hypervisor;
        this.guestMemory = guestMemory;
        this.hostMemory = hostMemory;
        this.policy = policy;
        this.switchTargets = switchTargets;
        this.levels = process.table().levels();
        this.shadow = newShadow();
        if (startNested) {
            policy.nestedFromStart(process.cr3());
            remember(process.cr3(), levels, 0);
        }
    }

    AgilePolicy policy() {
        return policy;
    }

    /** What the hardware's shadow-root register holds: the shadow root, or the switch bit alone (fully nested). */
    long rootRegister() {
        return policy.nested(process.cr3()) ? Pte.SWITCH : shadow.root();
    }

    /** Notes that {@code page} is a level-{@code level} page-table page on the way to {@code va}. */
    void remember(long page, int level, long va) {
        pageLevel.put(page, level);
        pageVa.put(page, va);
    }

    /**
     * The topmost nested page on the guest's path to {@code va} among the pages of levels {@code levels} down to
     * {@code lowest}, or -1: a write to a level-{@code lowest} entry under it is the guest's own.
     */
    long nestedAt(long va, int lowest) {
        long node = process.cr3();
        for (int level = levels; level >= lowest; level--) {
            if (policy.nested(node)) {
                return node;
            }
            if (level == lowest) {
                break;
            }
            long entry = guestMemory.read(RadixPageTable.entryAddress(node, va, level));
            if (!Pte.present(entry) || Pte.large(entry)) {
                break;
            }
            node = Pte.address(entry);
        }
        return -1;
    }

    /** Whether a walk of {@code va} reaches the guest's own table (the shadow path leads to a switch). */
    boolean reachesGuestPart(long va) {
        if (policy.nested(process.cr3())) {
            return true;
        }
        long node = shadow.root();
        for (int level = levels; level >= 1; level--) {
            long entry = hostMemory.read(RadixPageTable.entryAddress(node, va, level));
            if (!Pte.present(entry)) {
                return false;
            }
            if (Pte.switches(entry)) {
                return true;
            }
            if (Pte.large(entry)) {
                return false;
            }
            node = Pte.address(entry);
        }
        return false;
    }

    /** The shadow's leaf for {@code va}, or null (none, or the walk switches above it). */
    Mapping lookup(long va) {
        if (policy.nested(process.cr3())) {
            return null;
        }
        long node = shadow.root();
        for (int level = levels; level >= 1; level--) {
            long at = RadixPageTable.entryAddress(node, va, level);
            long entry = hostMemory.read(at);
            if (!Pte.present(entry) || Pte.switches(entry)) {
                return null;
            }
            if (level == 1 || Pte.large(entry)) {
                PageSize size = PageSize.ofLeafLevel(level);
                return new Mapping(Pte.address(entry) & ~size.offsetMask(), size, entry, at);
            }
            node = Pte.address(entry);
        }
        return null;
    }

    /** The hypervisor reads the guest's entries on the way to {@code va}, as its fault handler must. */
    void readGuestPath(long va, HandlerWork handlerWork, int acct) {
        long node = process.cr3();
        for (int level = levels; level >= 1; level--) {
            long at = RadixPageTable.entryAddress(node, va, level);
            handlerWork.reference(hypervisor.systemAddress(at), false, acct);
            long entry = guestMemory.read(at);
            if (!Pte.present(entry) || level == 1 || Pte.large(entry)) {
                return;
            }
            node = Pte.address(entry);
        }
    }

    /**
     * Makes the shadow cover {@code va} as far as agile paging shadows it: the leaf (as large as the guest's page and
     * the host's backing allow, writable once the guest's entry is writable and dirty), or, when a page on the way
     * is nested, the switch entry above the topmost one.
     */
    void fill(long va, long guestEntry, PageSize guestSize, HandlerWork handlerWork, int acct) {
        this.work = handlerWork;
        this.account = acct;
        long nested = nestedAt(va, 1);
        if (nested >= 0) {
            if (nested != process.cr3()) {
                placeSwitch(nested);
            }
            return;
        }
        ShadowLeaf leaf = ShadowLeaf.of(hypervisor, va, guestEntry, guestSize);
        PageSize size = leaf.size();
        long spa = leaf.spa();
        long shadowVa = leaf.va();
        boolean writable = leaf.writable();
        Mapping existing = shadow.lookup(shadowVa);
        if (existing != null && existing.size() == size) {
            shadow.rewrite(shadowVa, Pte.leaf(spa, size, writable), writes);
        } else {
            if (existing != null) {
                long existingVa = shadowVa & ~existing.size().offsetMask();
                clearRange(existingVa, existingVa + existing.size().bytes());
            }
            shadow.map(shadowVa, spa, size, writable, level -> newNode(), writes);
        }
    }

    /**
     * Brings the shadow up to date with a trapped write of the guest's level-{@code level} entry for {@code va}: a
     * leaf is copied (or its shadow cleared), an upper-level change clears the shadow entry at that level, to be
     * refilled by hidden faults.
     */
    void propagate(long va, int level, long oldValue, long newValue, HandlerWork handlerWork, int acct) {
        this.work = handlerWork;
        this.account = acct;
        boolean leaf = level == 1 || Pte.present(newValue) && Pte.large(newValue)
                || Pte.present(oldValue) && Pte.large(oldValue);
        if (!leaf) {
            clearEntry(va, level);
            return;
        }
        PageSize guestSize = PageSize.ofLeafLevel(level);
        long pageVa = va & ~guestSize.offsetMask();
        if (!Pte.present(newValue) || PageSize.min(guestSize, hypervisor.config().pageSize()) != guestSize) {
            clearRange(pageVa, pageVa + guestSize.bytes());
        } else {
            fill(pageVa, newValue, guestSize, handlerWork, acct);
        }
    }

    /**
     * {@code page} went to nested mode: the pages under it are nested with it (the policy forgets them), the
     * hypervisor stops protecting it and them (a write to each nested entry), and the shadow entry above it becomes
     * a switch entry, the shadow below it freed. The root going nested frees the whole shadow.
     */
    void toNested(long page, HandlerWork handlerWork, int acct) {
        this.work = handlerWork;
        this.account = acct;
        int level = pageLevel.get(page);
        for (long other : policy.nestedPages()) {
            if (other != page && below(other, page, level)) {
                policy.forget(other);
            }
        }
        forEachTablePage(page, level, p -> handlerWork.reference(hypervisor.hostMapping(p).leafAddress(), true, acct));
        if (page == process.cr3()) {
            release();
            shadow = newShadow();
        } else {
            placeSwitch(page);
        }
    }

    /**
     * {@code page} went back to shadow mode: the hypervisor protects it and the pages under it again (it reads the
     * non-leaf ones to find those below, and writes each one's nested entry), and clears the switch entry above it,
     * so that hidden faults rebuild the shadow below.
     */
    void toShadow(long page, HandlerWork handlerWork, int acct) {
        this.work = handlerWork;
        this.account = acct;
        int level = pageLevel.get(page);
        forEachTablePage(page, level, p -> {
            long spa = hypervisor.hostMapping(p).leafAddress();
            handlerWork.reference(spa, true, acct);
        });
        if (level > 1) {
            long spa = hypervisor.systemAddress(page);
            for (int line = 0; line < 64; line++) {
                handlerWork.reference(spa + line * 64L, false, acct);
            }
        }
        if (page == process.cr3()) {
            return;
        }
        long va = pageVa.get(page);
        long node = nodeAbove(va, level + 1, false);
        if (node < 0) {
            return;
        }
        long at = RadixPageTable.entryAddress(node, va, level + 1);
        long old = hostMemory.read(at);
        if (Pte.switches(old) && Pte.address(old) == hypervisor.systemAddress(page)) {
            hostMemory.write(at, 0);
            writes.entryWritten(va, at, level + 1, old, 0);
            switchTargets.remove(Pte.address(old));
        }
    }

    /** Frees every shadow node (the address space is gone, or its root went nested). */
    void release() {
        freeBelow(shadow.root(), levels);
        hypervisor.hostFrames().free(shadow.root(), PageSize.SIZE_4K);
    }

    /** Writes the switch entry above nested {@code page} (a level below the root), creating the path to it. */
    private void placeSwitch(long page) {
        int level = pageLevel.get(page);
        long va = pageVa.get(page);
        long node = nodeAbove(va, level + 1, true);
        long at = RadixPageTable.entryAddress(node, va, level + 1);
        long old = hostMemory.read(at);
        long target = hypervisor.systemAddress(page);
        long entry = Pte.table(target) | Pte.SWITCH;
        if (old == entry) {
            return;
        }
        if (Pte.present(old) && !Pte.switches(old) && !Pte.large(old)) {
            freeBelow(Pte.address(old), level);
            hypervisor.hostFrames().free(Pte.address(old), PageSize.SIZE_4K);
        }
        hostMemory.write(at, entry);
        writes.entryWritten(va, at, level + 1, old, entry);
        switchTargets.put(target, page);
    }

    /**
     * The shadow node of level {@code level} on the way to {@code va}; missing nodes above it are created when
     * {@code create}, else -1 is returned.
     */
    private long nodeAbove(long va, int level, boolean create) {
        long node = shadow.root();
        for (int l = levels; l > level; l--) {
            long at = RadixPageTable.entryAddress(node, va, l);
            long entry = hostMemory.read(at);
            if (!Pte.present(entry)) {
                if (!create) {
                    return -1;
                }
                long child = newNode();
                long fresh = Pte.table(child);
                hostMemory.write(at, fresh);
                writes.entryWritten(va, at, l, entry, fresh);
                node = child;
            } else if (Pte.switches(entry) || Pte.large(entry)) {
                return -1;
            } else {
                node = Pte.address(entry);
            }
        }
        return node;
    }

    private long newNode() {
        long frame = hypervisor.hostFrames().allocate(PageSize.SIZE_4K);
        hostMemory.zeroFrame(frame);
        return frame;
    }

    private RadixPageTable newShadow() {
        return new RadixPageTable(hostMemory, hypervisor.hostFrames().allocate(PageSize.SIZE_4K), levels);
    }

    /** Frees the shadow nodes below the level-{@code level} node at {@code node} (not the node itself). */
    private void freeBelow(long node, int level) {
        if (level == 1) {
            return;
        }
        for (int i = 0; i < 512; i++) {
            long entry = hostMemory.read(node + ((long) i << 3));
            if (Pte.present(entry) && !Pte.large(entry)) {
                if (Pte.switches(entry)) {
                    switchTargets.remove(Pte.address(entry));
                } else {
                    freeBelow(Pte.address(entry), level - 1);
                    hypervisor.hostFrames().free(Pte.address(entry), PageSize.SIZE_4K);
                }
            }
        }
        hostMemory.zeroFrame(node);
    }

    /** Whether page {@code other} lies below {@code page} (of level {@code level}) in the guest's table. */
    private boolean below(long other, long page, int level) {
        Integer otherLevel = pageLevel.get(other);
        if (otherLevel == null || otherLevel >= level) {
            return false;
        }
        long va = pageVa.get(other);
        long node = process.cr3();
        for (int l = levels; l > otherLevel; l--) {
            if (node == page) {
                return true;
            }
            long entry = guestMemory.read(RadixPageTable.entryAddress(node, va, l));
            if (!Pte.present(entry) || Pte.large(entry)) {
                return false;
            }
            node = Pte.address(entry);
        }
        return false;
    }

    /** Visits {@code page} (of level {@code level}) and every page-table page below it. */
    private void forEachTablePage(long page, int level, java.util.function.LongConsumer visitor) {
        visitor.accept(page);
        if (level == 1) {
            return;
        }
        for (int i = 0; i < 512; i++) {
            long entry = guestMemory.read(page + ((long) i << 3));
            if (Pte.present(entry) && !Pte.large(entry)) {
                forEachTablePage(Pte.address(entry), level - 1, visitor);
            }
        }
    }

    private void clearRange(long start, long end) {
        if (policy.nested(process.cr3())) {
            return;
        }
        visitLeaves(shadow.root(), levels, 0, start, end);
    }

    /** Clears the shadow's leaves of pages starting in [start, end), stopping at switch entries. */
    private void visitLeaves(long node, int level, long base, long start, long end) {
        long span = 1L << (12 + 9 * (level - 1));
        for (int i = 0; i < 512; i++) {
            long va = base + i * span;
            if (va + span <= start || va >= end) {
                continue;
            }
            long at = node + ((long) i << 3);
            long entry = hostMemory.read(at);
            if (!Pte.present(entry) || Pte.switches(entry)) {
                continue;
            }
            if (level == 1 || Pte.large(entry)) {
                if (va >= start) {
                    hostMemory.write(at, 0);
                    writes.entryWritten(va, at, level, entry, 0);
                }
            } else {
                visitLeaves(Pte.address(entry), level - 1, va, start, end);
            }
        }
    }

    private void clearEntry(long va, int level) {
        long node = nodeAbove(va, level, false);
        if (node < 0) {
            return;
        }
        long at = RadixPageTable.entryAddress(node, va, level);
        long old = hostMemory.read(at);
        if (Pte.present(old)) {
            hostMemory.write(at, 0);
            writes.entryWritten(va, at, level, old, 0);
            if (Pte.switches(old)) {
                switchTargets.remove(Pte.address(old));
            }
        }
    }
}
