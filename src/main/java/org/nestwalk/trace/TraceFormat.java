package org.nestwalk.trace;

/** The constants of the trace format (docs/trace-format.md) that reader and writer share. */
final class TraceFormat {
    static final byte[] MAGIC = {0x4E, 0x57, 0x54, 0x52, 0x41, 0x43, 0x45, 0x1A};
    static final int VERSION = 1;
    static final int FLAG_ZSTD = 1;
    static final int HEADER_FIXED = 16;
    /** Larger headers or event payloads are taken as corruption, before they could exhaust memory. */
    static final int MAX_HEADER = 1 << 20;
    static final int MAX_PAYLOAD = 1 << 20;
    /** The most bytes a data reference takes: the tag and two maximal varints. */
    static final int MAX_REFERENCE_BYTES = 21;

    static final int TAG_ARGUMENT = 1;
    static final int TAG_TOOL = 2;
    static final int TAG_PAGE_SIZE = 3;
    static final int TAG_SKIPPED = 4;
    static final int TAG_PID = 5;

    private TraceFormat() {
    }
}
