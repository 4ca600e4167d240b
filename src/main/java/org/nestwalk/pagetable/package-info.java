/**
 * Page tables as real data at real addresses: the entry format, the contents of table frames in each physical
 * address space, frame allocators, and the radix tables that software (guest OS, hypervisor) maintains.
 */
package org.nestwalk.pagetable;
