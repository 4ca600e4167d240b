package org.nestwalk.guest;

/**
 * What the guest OS did: counts since the start of the run.
 *
 * @param pageFaults        page faults it handled
 * @param copyOnWriteFaults of which stores to copy-on-write pages
 * @param zeroPageWrites    of which first stores to pages that were only read (mapped to the zero page)
 * @param tableWrites       page-table entries it wrote
 * @param contextSwitches   process switches (CR3 loads)
 * @param forks             fork system calls
 * @param spawns            programs started (fork + exec)
 * @param exits             processes that exited
 * @param execs             programs a process replaced its own with (execve)
 * @param unmappedPages     pages munmap took away
 * @param remaps            live pages moved to another frame
 */
public record GuestStats(long pageFaults, long copyOnWriteFaults, long zeroPageWrites, long tableWrites,
                         long contextSwitches, long forks, long spawns, long exits, long execs, long unmappedPages,
                         long remaps) {
    public GuestStats minus(GuestStats e) {
        return new GuestStats(pageFaults - e.pageFaults, copyOnWriteFaults - e.copyOnWriteFaults,
                zeroPageWrites - e.zeroPageWrites, tableWrites - e.tableWrites, contextSwitches - e.contextSwitches,
                forks - e.forks, spawns - e.spawns, exits - e.exits, execs - e.execs, unmappedPages - e.unmappedPages,
                remaps - e.remaps);
    }

    /** The sum of two guests' counters (several VMs). */
    public GuestStats plus(GuestStats e) {
        return new GuestStats(pageFaults + e.pageFaults, copyOnWriteFaults + e.copyOnWriteFaults,
                zeroPageWrites + e.zeroPageWrites, tableWrites + e.tableWrites, contextSwitches + e.contextSwitches,
                forks + e.forks, spawns + e.spawns, exits + e.exits, execs + e.execs, unmappedPages + e.unmappedPages,
                remaps + e.remaps);
    }
}
