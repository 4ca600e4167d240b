/**
 * Capturing traces of real Linux programs: {@link org.nestwalk.trace.capture.ToolBuilder} builds the small Valgrind
 * tool {@code nwtrace} (its C source is the resource {@code /nwtrace/nw_main.c}) against the installed Valgrind, and
 * {@link org.nestwalk.trace.capture.TraceCapture} runs a program under it, checking every record it streams back
 * through a FIFO with {@link org.nestwalk.trace.TraceReader} and writing the trace with
 * {@link org.nestwalk.trace.TraceWriter}.
 */
package org.nestwalk.trace.capture;
