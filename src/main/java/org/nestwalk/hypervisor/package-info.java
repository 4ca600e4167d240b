/**
 * The hypervisor: host memory, the nested page tables, and the VM exits it handles, each with a cause and a cost.
 */
package org.nestwalk.hypervisor;
