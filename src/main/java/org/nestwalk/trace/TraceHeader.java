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
    public TraceHeader {
        commandLine = List.copyOf(commandLine);
        if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two: " + pageSize);
        }
    }

    /** A header for a trace written by {@code tool} of the given command line, 4 KiB pages, from the start. */
    public static TraceHeader of(String tool, List<String> commandLine) {
        return new TraceHeader(commandLine, tool, 4096, 0, 1);
    }
}
