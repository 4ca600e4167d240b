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
 * @param lifetime                 references a program makes before it exits (0: it runs for ever); with a lifetime,
 *                                 a driver keeps {@code concurrency} programs running
 * @param concurrency              programs running at once under the driver
 * @param forkEvery                references between two forks of a short-lived child (0: no forks)
 * @param childReferences          references a forked child makes (over its parent's footprint) before it exits
 * @param mmapEvery                references between two rounds of mmap/munmap churn (0: none)
 * @param mmapBytes                bytes each churn round maps (and touches, and later unmaps)
 * @param remapEvery               references between two remaps of a live page (0: none)
 */
public record WorkloadSpec(String name, AccessPattern pattern, long footprintBytes, double writeFraction,
                           int instructionsPerReference, long strideBytes, double zipfExponent, boolean prefault,
                           long lifetime, int concurrency, long forkEvery, long childReferences, long mmapEvery,
                           long mmapBytes, long remapEvery) {

    /** A single long-running program with no OS activity. */
    public WorkloadSpec(String name, AccessPattern pattern, long footprintBytes, double writeFraction,
                        int instructionsPerReference, long strideBytes, double zipfExponent, boolean prefault) {
        this(name, pattern, footprintBytes, writeFraction, instructionsPerReference, strideBytes, zipfExponent,
                prefault, 0, 1, 0, 0, 0, 0, 0);
    }
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
        if (lifetime < 0 || concurrency < 1 || forkEvery < 0 || childReferences < 0 || mmapEvery < 0
                || remapEvery < 0) {
            throw new IllegalArgumentException("OS activity rates must be >= 0 and concurrency >= 1");
        }
        if (mmapEvery > 0 && (mmapBytes < 4096 || mmapBytes % 4096 != 0)) {
            throw new IllegalArgumentException("churn mappings must be a positive multiple of 4 KiB");
        }
    }

    /** Whether the workload ever changes page tables after the start (beyond demand paging). */
    public boolean hasOsActivity() {
        return lifetime > 0 || forkEvery > 0 || mmapEvery > 0 || remapEvery > 0;
    }
}
