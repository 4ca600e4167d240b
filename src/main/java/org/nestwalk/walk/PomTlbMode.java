package org.nestwalk.walk;

import org.nestwalk.tlb.PomTlb;

/**
 * The 2D walk behind a part-of-memory TLB (Ryoo et al., ISCA 2017): after an L2 TLB miss the walker reads the one
 * line of the POM-TLB that would hold the translation; a hit gives the gVA to sPA translation with that single
 * reference and no walk, a miss goes on to the 2D walk (PWC, NTLB, radix nested table), whose result is then kept in
 * the POM-TLB. A cold walk is the probe plus the 24 references of the 2D walk; a hit, one reference.
 */
final class PomTlbMode implements TranslationMode {
    private final WalkHardware hw;
    private final Registers registers;
    private final PomTlb pom;
    private final NestedMode walk;

    PomTlbMode(ModeParts parts) {
        this.hw = parts.hardware();
        this.registers = parts.registers();
        this.pom = parts.pomTlb();
        if (pom == null) {
            throw new IllegalArgumentException("the POM-TLB mode needs a part-of-memory TLB");
        }
        this.walk = new NestedMode(parts);
    }

    @Override
    public String name() {
        return ModeKind.POM_TLB.label();
    }

    @Override
    public void walk(long va, boolean write, WalkTrace trace) {
        int space = registers.space();
        hw.readLine(trace, TableKind.POM_TLB, pom.lineAddress(va, space));
        long base = pom.lookup(va, space, write, false);
        if (base < 0 && pom.probesLargePages()) {
            hw.readLine(trace, TableKind.POM_TLB, pom.largeLineAddress(va, space));
            base = pom.lookup(va, space, write, true);
        }
        if (base >= 0) {
            trace.translated(base, pom.lastSize(), pom.lastWritable());
            return;
        }
        walk.walk(va, write, trace);
        if (trace.outcome() == WalkOutcome.TRANSLATED) {
            // Written back off the critical path, into the line the probe just brought into the caches.
            pom.fill(va, space, trace.pageBase(), trace.pageSize(), trace.writable());
        }
    }
}
