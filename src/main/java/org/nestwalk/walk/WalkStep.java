package org.nestwalk.walk;

/**
 * One step of a walk, as {@code explain} shows it and tests check it.
 *
 * @param number       1-based position in the walk
 * @param table        the table read
 * @param level        the table level (4 = root); 0 for an NTLB hit, which stands for a whole nested walk
 * @param target       for nested steps, the guest level whose table the nested translation locates (0: the data
 *                     page); for guest and native steps, their own level
 * @param address      system-physical address of the entry read (for an NTLB hit: the guest-physical address
 *                     translated; for the ISPT: the line read)
 * @param guestAddress guest-physical address of a guest entry, or of the address an NTLB hit translated; -1 if none
 * @param servedBy     what answered
 * @param start        cycles from the walk's start to this step's start (steps of a probe issued beside the walk
 *                     start together with it)
 * @param latency      cycles this step took, including probes of walk caches that missed
 * @param critical     whether the requester waited for this step
 * @param withPrevious whether the walker issued this step together with the previous one (the probes of a hashed
 *                     table's ways), rather than after it
 */
public record WalkStep(int number, TableKind table, int level, int target, long address, long guestAddress,
                       ServedBy servedBy, long start, long latency, boolean critical, boolean withPrevious) {
}
