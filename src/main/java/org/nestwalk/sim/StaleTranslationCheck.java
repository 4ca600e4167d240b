package org.nestwalk.sim;

import org.nestwalk.cpu.Shootdowns;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.guest.GuestOs;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.hypervisor.Hypervisor;
import org.nestwalk.pagetable.Mapping;

/**
 * A test mode: on every translation a vCPU takes from its TLB, what the page tables say now (the guest's table of
 * the process it runs, then the hypervisor's mapping). A translation that disagrees (another frame, no mapping, or a
 * store through a page no longer writable) is stale; a stale one is allowed only while a shootdown is under way,
 * between the change of the tables and the moment the initiator has every acknowledgement. Any other is a
 * violation: a vCPU used a translation after the OS believed it gone.
 */
public final class StaleTranslationCheck {
    private final GuestOs guest;
    private final Hypervisor hypervisor;
    private final Shootdowns shootdowns;
    private long checked;
    private long staleDuringShootdown;
    private long violations;
    private String first;

    StaleTranslationCheck(GuestOs guest, Hypervisor hypervisor, Shootdowns shootdowns) {
        this.guest = guest;
        this.hypervisor = hypervisor;
        this.shootdowns = shootdowns;
    }

    /** What vCPU {@code c} reports to. */
    VCpu.TranslationCheck forCpu(int c) {
        return (va, pa, write) -> check(c, va, pa, write);
    }

    private void check(int c, long va, long pa, boolean write) {
        checked++;
        GuestProcess p = guest.running(c);
        Mapping m = p == null ? null : p.table().lookup(va);
        long expected = -1;
        if (m != null) {
            long gpa = m.translate(va);
            expected = hypervisor == null ? gpa : hypervisor.systemAddress(gpa);
        }
        boolean stale = expected != pa || write && !m.writable();
        if (!stale) {
            return;
        }
        if (shootdowns != null && shootdowns.inProgress()) {
            staleDuringShootdown++;
            return;
        }
        violations++;
        if (first == null) {
            first = String.format("vCPU %d used 0x%x for 0x%x (%s); the tables say %s", c, pa, va,
                    write ? "store" : "load", expected < 0 ? "unmapped" : String.format("0x%x", expected));
        }
    }

    /** Translations checked. */
    public long checked() {
        return checked;
    }

    /** Stale translations used while a shootdown was under way (allowed). */
    public long staleDuringShootdown() {
        return staleDuringShootdown;
    }

    /** Stale translations used with no shootdown under way. */
    public long violations() {
        return violations;
    }

    /** The first violation, or null. */
    public String firstViolation() {
        return first;
    }
}
