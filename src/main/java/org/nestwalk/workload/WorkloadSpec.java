package org.nestwalk.workload;

/**
 * A synthetic workload: which addresses a guest process touches, how often, and how much of it is writes.
 *
 * @param name                     the preset name, or "custom"
 * @param pattern                  how addresses are chosen
 * @param footprintBytes           bytes of virtual memory the references fall in
 * @param writeFraction            probability that a reference is a store
 * @param instructionsPerReference instructions executed per data reference, the referencing one included
 * @param strideBytes              distance between consecutive references of a stream
 * @param zipfExponent             skew of the Zipf law (0 is uniform over pages)
 * @param prefault                 whether the footprint is mapped before the run starts (pages already present,
 *                                 set up outside simulated time), or demand-paged during the run
 */
public record WorkloadSpec(String name, AccessPattern pattern, long footprintBytes, double writeFraction,
                           int instructionsPerReference, long strideBytes, double zipfExponent, boolean prefault) {
    /** Where the footprint starts in the process's virtual address space: the mmap area of a Linux process. */
    public static final long BASE_ADDRESS = 0x7f00_0000_0000L;

    public WorkloadSpec {
        if (footprintBytes < 4096 || footprintBytes % 4096 != 0) {
            throw new IllegalArgumentException("footprint must be a positive multiple of 4 KiB: " + footprintBytes);
        }
        if (!(writeFraction >= 0 && writeFraction <= 1)) {
            throw new IllegalArgumentException("writeFraction must be in [0, 1]: " + writeFraction);
        }
        if (instructionsPerReference < 1) {
            throw new IllegalArgumentException("instructionsPerReference must be >= 1");
        }
        if (strideBytes < 8 || strideBytes % 8 != 0) {
            throw new IllegalArgumentException("stride must be a positive multiple of 8 bytes");
        }
    }
}
