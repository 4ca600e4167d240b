package org.nestwalk.timeline;

/**
 * One thing an entity did over a span of simulated time.
 *
 * @param lane   the entity it happened on: {@code vcpu}, {@code guest-os}, {@code hypervisor}, {@code walker}, or
 *               {@code dram bank N}
 * @param kind   {@code burst}, {@code guest-os}, {@code vm-exit}, {@code walk}, {@code verification} or
 *               {@code dram}
 * @param start  cycle it began
 * @param end    cycle it ended
 * @param detail what it was (a VM exit's cause, a walk's address, references and outcome, a DRAM row hit...)
 */
public record TimelineEvent(String lane, String kind, long start, long end, String detail) {
    public TimelineEvent {
        if (end < start) {
            throw new IllegalArgumentException(kind + " on " + lane + " ends at " + end + " before it starts at "
                    + start);
        }
    }
}
