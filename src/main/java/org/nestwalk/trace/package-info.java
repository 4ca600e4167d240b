/**
 * Traces of real programs: the compact, zstd-compressed record of every data reference and of the events that change
 * page tables (mmap, munmap, fork, exit, ...), at the instruction where they happened. {@code docs/trace-format.md}
 * is the format's specification; {@link org.nestwalk.trace.TraceWriter} and {@link org.nestwalk.trace.TraceReader}
 * implement it, streaming, without holding a trace in memory; the writer appends a {@link
 * org.nestwalk.trace.TraceIndex} of what a replay must know before it starts, so that opening a trace need not read it.
 */
package org.nestwalk.trace;
