/**
 * The virtual CPU: the core's timing model, its run loop over the program's references, the walks it runs past
 * (the translations under way and the checkpoints to go back to), and the work it does on behalf of the OS and the
 * hypervisor when translation traps.
 */
package org.nestwalk.cpu;
