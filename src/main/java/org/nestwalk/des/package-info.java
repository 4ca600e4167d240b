/**
 * The discrete-event seam: a clock in core cycles and a future event list ({@link org.nestwalk.des.Scheduler}),
 * and the {@link org.nestwalk.des.Action}s entities schedule on it. The machine's mechanisms (the vCPU, the page
 * walker, the memory controller, the guest OS's timer) depend on this package only; it knows nothing of DSOL, which
 * {@code org.nestwalk.sim} puts behind it.
 */
package org.nestwalk.des;
