package org.nestwalk.trace;

import java.util.List;

/**
 * What a trace says about itself.
 *
 * @param commandLine         the traced program and its arguments
 * @param tool                what wrote the trace
 * @param pageSize            the traced machine's base page size in bytes
 * @param skippedInstructions instructions the program executed before the first record
 * @param pid                 the process id of the first records
 */
public record TraceHeader(List<String> commandLine, String tool, int pageSize, long skippedInstructions, long pid) {
    /**
     * The page sizes a trace may give: the simulated machine's pages are 4 KiB, and a trace's page size is the unit
     * its touched pages are grouped by, so smaller ones would map ranges the guest cannot (a size of 1 or 512 failed
     * only later, without naming the trace). 1 GiB is the largest page x86-64 has.
     */
    public static final int MIN_PAGE_SIZE = 4096;
    public static final int MAX_PAGE_SIZE = 1 << 30;

    public TraceHeader {
        commandLine = List.copyOf(commandLine);
        if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two from " + MIN_PAGE_SIZE + " to "
                    + MAX_PAGE_SIZE + ": " + pageSize);
        }
    }

    /** A header for a trace written by {@code tool} of the given command line, 4 KiB pages, from the start. */
    public static TraceHeader of(String tool, List<String> commandLine) {
        return new TraceHeader(commandLine, tool, 4096, 0, 1);
    }
}
