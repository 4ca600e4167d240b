/**
 * The virtual CPU: the core's timing model, its run loop over the program's references, and the work it does on
 * behalf of the OS and the hypervisor when translation traps.
 */
package org.nestwalk.cpu;
