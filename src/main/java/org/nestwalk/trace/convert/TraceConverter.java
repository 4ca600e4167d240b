package org.nestwalk.trace.convert;

import java.nio.file.Files;
import java.nio.file.Path;
import org.nestwalk.config.ConfigException;
import org.nestwalk.trace.TraceWriter;

/**
 * Converts a trace recorded by another tool into a nestwalk trace of the same program: its data references with the
 * instructions between them, and the instruction pages it runs from. The tools record no system calls, so the trace
 * has no page-table events; its header's tool string says so, and which tool and file it came from.
 */
public final class TraceConverter {
    private TraceConverter() {
    }

    /**
     * What a conversion did.
     *
     * @param from          the input's format
     * @param inputRecords  lines (lackey) or records (ChampSim) read
     * @param instructions  instructions converted
     * @param references    data references written
     * @param events        events written (IPAGE), END not included
     * @param stoppedAtMax  whether it reached the maximum number of references (and so may have left input unread)
     * @param seconds       wall time
     */
    public record Result(InputFormat from, long inputRecords, long instructions, long references, long events,
                         boolean stoppedAtMax, double seconds) {
    }

    /**
     * Converts {@code input} into the trace {@code output}, stopping after {@code maxReferences} references. The
     * output appears only when complete.
     */
    public static Result convert(InputFormat from, Path input, Path output, long maxReferences) {
        if (maxReferences <= 0) {
            throw new ConfigException("--max-refs must be a positive number, not " + maxReferences);
        }
        if (Files.exists(output) && Files.exists(input) && sameFile(input, output)) {
            throw new ConfigException(output + ": the output would overwrite the input");
        }
        long t0 = System.nanoTime();
        try (ConversionSource source = from == InputFormat.LACKEY ? LackeyReader.open(input)
                : ChampSimReader.open(input);
             TraceWriter writer = TraceWriter.create(output, source.header())) {
            TraceSink sink = new TraceSink(writer, source.header().pageSize(), maxReferences);
            source.copyTo(sink);
            sink.finish();
            return new Result(from, source.inputRecords(), sink.instructions(), sink.references(), sink.events(),
                    sink.full(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
