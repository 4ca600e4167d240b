package org.nestwalk.cpu;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;

/**
 * The inter-processor interrupts of one VM's vCPUs, as far as TLB shootdowns use them. When the guest OS changes an
 * address space that other vCPUs run, their TLBs may hold the old translations: the OS on the initiating vCPU
 * changes the tables and invalidates its own TLB, then sends an IPI to each other vCPU of the address space
 * ({@link #request}, made while its kernel work is described) and waits, after that work, for every one to
 * acknowledge. Each target takes the interrupt at its next instruction boundary (with nothing in flight), exits to
 * the hypervisor unless interrupts are posted, invalidates what the initiator named, and acknowledges. A vCPU that
 * is not running instructions (it has finished, or waits for acknowledgements itself, with interrupts enabled as
 * Linux's {@code smp_call_function} waits) handles the interrupt at once, beside its wait.
 *
 * <p>Delivery and acknowledgement are events, {@code latency} cycles after they are sent: they are the vCPUs'
 * interactions, and each one bounds how far the other vCPUs run inline. The events are made once, one per pair of
 * vCPUs, so a shootdown allocates nothing.
 */
public final class Shootdowns {
    private final Scheduler scheduler;
    private final int latency;
    private final VCpu[] cpus;
    /** Per initiator: the vCPUs its current kernel entry asked to interrupt (a bit each). */
    private final long[] outgoing;
    /** Per target: the initiators whose interrupt it has received and not yet taken. */
    private final long[] incoming;
    /** Per target: the initiators its interrupt handler now running serves. */
    private final long[] serving;
    /** Per initiator: acknowledgements still awaited (0: not waiting). */
    private final int[] awaited;
    /** Per initiator: when it began to wait. */
    private final long[] waitStart;
    /** Per vCPU: until when an interrupt handled beside its wait keeps it busy. */
    private final long[] busyUntil;
    private final Action[][] deliver;
    private final Action[] ack;
    private final long[] initiated;
    private final long[] waitCycles;
    private final long[] ipisSent;
    private final long[] ipisTaken;

    /** @param latency cycles from sending an interrupt (or an acknowledgement) to its arrival */
    public Shootdowns(Scheduler scheduler, int vcpus, int latency) {
        if (vcpus > Long.SIZE) {
            throw new IllegalArgumentException("at most 64 vCPUs");
        }
        this.scheduler = scheduler;
        this.latency = latency;
        this.cpus = new VCpu[vcpus];
        outgoing = new long[vcpus];
        incoming = new long[vcpus];
        serving = new long[vcpus];
        awaited = new int[vcpus];
        waitStart = new long[vcpus];
        busyUntil = new long[vcpus];
        initiated = new long[vcpus];
        waitCycles = new long[vcpus];
        ipisSent = new long[vcpus];
        ipisTaken = new long[vcpus];
        deliver = new Action[vcpus][vcpus];
        ack = new Action[vcpus];
        for (int i = 0; i < vcpus; i++) {
            int initiator = i;
            ack[i] = () -> acknowledged(initiator);
            for (int j = 0; j < vcpus; j++) {
                int target = j;
                deliver[i][j] = () -> delivered(initiator, target);
            }
        }
    }

    /** vCPU {@code c} of the VM. */
    public void attach(int c, VCpu vcpu) {
        cpus[c] = vcpu;
    }

    /** The kernel running on {@code initiator} will interrupt {@code targets} (one bit per vCPU) when it is done. */
    public void request(int initiator, long targets) {
        outgoing[initiator] |= targets & ~(1L << initiator);
    }

    /** Whether some vCPU's shootdown has been asked for and not yet acknowledged by all its targets. */
    public boolean inProgress() {
        for (int i = 0; i < cpus.length; i++) {
            if (outgoing[i] != 0 || awaited[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The kernel work on vCPU {@code c} has ended at {@code end}: the acknowledgements of the interrupts it served
     * go out, and the interrupts it asked for. Returns whether it now waits for acknowledgements (it is then
     * resumed by {@link VCpu#acknowledged}).
     */
    boolean handlerEnded(int c, long end) {
        acknowledge(c, end);
        long targets = outgoing[c];
        if (targets == 0) {
            return false;
        }
        outgoing[c] = 0;
        initiated[c]++;
        waitStart[c] = end;
        awaited[c] = Long.bitCount(targets);
        for (long t = targets; t != 0; t &= t - 1) {
            int j = Long.numberOfTrailingZeros(t);
            ipisSent[c]++;
            scheduler.scheduleFrom(end, end + latency, deliver[c][j]);
        }
        return true;
    }

    /**
     * vCPU {@code c} takes one pending interrupt now (each IPI is taken, and without posted interrupts exits, on its
     * own); returns whether more are pending.
     */
    boolean take(int c) {
        long first = Long.lowestOneBit(incoming[c]);
        serving[c] |= first;
        incoming[c] &= ~first;
        ipisTaken[c]++;
        return incoming[c] != 0;
    }

    private void acknowledge(int c, long end) {
        for (long s = serving[c]; s != 0; s &= s - 1) {
            scheduler.scheduleFrom(end, end + latency, ack[Long.numberOfTrailingZeros(s)]);
        }
        serving[c] = 0;
    }

    private void delivered(int initiator, int target) {
        incoming[target] |= 1L << initiator;
        VCpu v = cpus[target];
        if (awaited[target] != 0 || v.finished()) {
            // Not running instructions: the handler runs at once, beside the wait.
            long at = Math.max(scheduler.now(), busyUntil[target]);
            while (incoming[target] != 0) {
                take(target);
                at = v.handleInterruptAside(at);
                acknowledge(target, at);
            }
            busyUntil[target] = at;
        } else {
            v.raiseInterProcessorInterrupt();
        }
    }

    private void acknowledged(int initiator) {
        if (--awaited[initiator] == 0) {
            long end = Math.max(scheduler.now(), busyUntil[initiator]);
            waitCycles[initiator] += end - waitStart[initiator];
            cpus[initiator].acknowledged(waitStart[initiator], end);
        }
    }

    /** Shootdowns vCPU {@code c} initiated so far. */
    public long initiated(int c) {
        return initiated[c];
    }

    /** Cycles vCPU {@code c} waited for acknowledgements so far. */
    public long waitCycles(int c) {
        return waitCycles[c];
    }

    /** IPIs vCPU {@code c} sent so far. */
    public long ipisSent(int c) {
        return ipisSent[c];
    }

    /** IPI handlers vCPU {@code c} ran so far (one may serve several initiators). */
    public long ipisTaken(int c) {
        return ipisTaken[c];
    }
}
