package org.nestwalk.trace.convert;

import org.nestwalk.trace.TraceHeader;

/** An open input trace of some tool: what it says about itself, then its instructions and accesses, once. */
interface ConversionSource extends AutoCloseable {
    /** The header the converted trace gets. */
    TraceHeader header();

    /** Feeds every instruction and access to {@code sink}, until the input ends or the sink wants no more. */
    void copyTo(TraceSink sink);

    /** Input units read so far: lines for lackey, records for ChampSim. */
    long inputRecords();

    @Override
    void close();
}
