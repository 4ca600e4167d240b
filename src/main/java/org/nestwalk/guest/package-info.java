/**
 * The guest operating system: processes and their page tables in guest-physical memory, demand paging, and what
 * lies beneath it (hypervisor or bare metal).
 */
package org.nestwalk.guest;
