package org.nestwalk.walk;

import org.nestwalk.pagetable.CuckooNestedTable;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.tlb.CuckooWalkCache;

/**
 * The 2D walk with a hashed nested dimension, in the manner of nested elastic cuckoo page tables (Stojkovic et al.,
 * ASPLOS 2022): the guest's table stays radix, and each nested translation the NTLB misses is a probe of the d ways
 * of the VM's cuckoo table, one line each, issued together, so that it costs the latency of one access (the slowest
 * of the d) rather than of a walk. A cold walk with 4 guest levels makes 4 + 5d references in 9 dependent steps.
 * With a cuckoo walk cache, a cluster whose way it remembers costs one line; a way found not to hold the cluster
 * (it was moved, or removed) sends the walker to read the other ways together.
 */
final class HashedNestedMode extends TwoDimensionalWalk {
    private final CuckooNestedTable table;
    private final CuckooWalkCache cwc;

    HashedNestedMode(ModeParts parts) {
        super(parts);
        this.table = parts.cuckoo();
        if (table == null) {
            throw new IllegalArgumentException("a hashed nested dimension needs the VM's cuckoo nested table");
        }
        this.cwc = hw.cwc();
    }

    @Override
    public String name() {
        return ModeKind.HASHED_NESTED.label();
    }

    @Override
    long nestedWalk(long gpa, int target, WalkTrace trace) {
        long cluster = table.cluster(gpa);
        int vm = registers.vm();
        int home = table.wayOf(cluster);
        int known = -1;
        if (cwc.present()) {
            trace.missedProbe(WalkTrace.PROBED_CWC);
            known = cwc.lookup(cluster, vm);
        }
        if (known >= 0) {
            hw.readHashedLine(trace, target, known, table.lineAddress(known, cluster), gpa);
        }
        if (known < 0 || known != home) {
            // Every way (but the one already read) at once: the walk goes on when the last line is back.
            int first = trace.size();
            for (int w = 0; w < table.ways(); w++) {
                if (w != known) {
                    hw.readHashedLine(trace, target, w, table.lineAddress(w, cluster), gpa);
                }
            }
            trace.issuedTogether(first);
            if (known >= 0) {
                cwc.invalidate(cluster, vm);
            }
        }
        long entry = table.entry(gpa);
        if (!Pte.present(entry)) {
            trace.faulted(WalkOutcome.NESTED_FAULT, gpa);
            return FAULT;
        }
        cwc.fill(cluster, vm, home);
        PageSize size = table.pageSize();
        lastHostSize = size;
        lastHostWritable = Pte.writable(entry);
        return (Pte.address(entry) & ~size.offsetMask()) | (gpa & size.offsetMask());
    }
}
