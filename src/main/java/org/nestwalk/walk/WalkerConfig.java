package org.nestwalk.walk;

/**
 * The MMU's walk units.
 *
 * @param walkers          walks in flight at once; each walker has its own miss register for the entry it reads
 *                         (two under parallel verification: the ISPT line and the walk's entry), so walker
 *                         references do not take the core's data miss registers
 * @param verify           when the verifying walk of a speculative translation starts
 * @param flatEntriesInPwc whether flat-table entries are kept in the page walk cache
 */
public record WalkerConfig(int walkers, VerifyTiming verify, boolean flatEntriesInPwc) {
    public WalkerConfig {
        if (walkers <= 0 || verify == null) {
            throw new IllegalArgumentException("at least one walker, and a verification timing");
        }
    }
}
