package org.nestwalk.guest;

/**
 * What an inter-processor interrupt of a TLB shootdown costs the vCPU that takes it.
 *
 * @param exits             whether it makes a VM exit (a VM without posted interrupts; never on bare metal)
 * @param vmExitLatency     cycles of the VM exit and entry
 * @param hypervisorLatency cycles of the hypervisor's handler (taking the interrupt, injecting it into the guest)
 * @param handlerLatency    cycles of the guest's handler around the invalidations it does
 */
public record IpiCosts(boolean exits, int vmExitLatency, int hypervisorLatency, int handlerLatency) {
}
