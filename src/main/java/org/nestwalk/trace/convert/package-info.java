/**
 * Traces the community already has, turned into nestwalk traces: Valgrind lackey logs ({@code --trace-mem=yes}) and
 * ChampSim {@code input_instr} traces. Both record instructions and their data references but no system calls, so a
 * converted trace has data references and instruction-page changes (IPAGE) and no page-table events. Conversion
 * streams: memory use does not depend on the input's length.
 */
package org.nestwalk.trace.convert;
