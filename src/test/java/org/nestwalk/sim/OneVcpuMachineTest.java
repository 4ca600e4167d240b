package org.nestwalk.sim;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The machine before several vCPUs and VMs (commit 510c729), with its default settings: every counter of the 60
 * runs of {@link LegacyMachine} in {@code golden/one-vcpu.tsv}, written by {@link LegacyMachine#main} on that commit.
 * One VM with one vCPU must reproduce it bit for bit: splitting the machine into VMs and processors, and the event
 * order that lets several vCPUs share it, change nothing for one.
 */
class OneVcpuMachineTest {
    @Test
    void oneVmWithOneVcpuIsTheMachineBeforeIssue16() throws IOException {
        LegacyMachineTest.assertSame(LegacyMachineTest.golden("/golden/one-vcpu.tsv"), LegacyMachine.run());
    }
}
