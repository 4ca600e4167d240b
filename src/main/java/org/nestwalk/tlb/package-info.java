/**
 * Translation caches: the vCPU's data TLB (L1 and L2, separate 4 KiB and 2 MiB arrays), the page walk cache and the
 * nested TLB.
 */
package org.nestwalk.tlb;
