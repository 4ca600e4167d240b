package org.nestwalk.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.nestwalk.report.Json;
import org.nestwalk.util.AtomicFiles;
import org.tinylog.Logger;

/**
 * The results directory's store of finished rows: {@code runs/<configuration>/r<replication>.json}, one file per row,
 * each written atomically the moment its run ends, so whatever is on disk is complete and a restarted experiment
 * knows what it need not run again. Pilot runs for MSER-5 are kept beside them, in {@code pilots/}.
 */
public final class RowStore {
    private final Path dir;
    private final ObjectMapper json;
    private final AtomicFiles.Writer writer;

    public RowStore(Path dir) {
        this(dir, AtomicFiles::write);
    }

    /** A store that writes through {@code writer} (tests pass one that fails, as a full disk does). */
    public RowStore(Path dir, AtomicFiles.Writer writer) {
        this.dir = dir;
        this.json = Json.mapper();
        this.writer = writer;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String configuration, int replication) {
        return dir.resolve("runs").resolve(configuration).resolve("r" + replication + ".json");
    }

    public void write(RunRecord r) {
        writer.write(file(r.configuration(), r.replication()), bytes(r));
    }

    /** The stored row, if there is one that can be read; an unreadable file is reported and treated as missing. */
    public Optional<RunRecord> read(String configuration, int replication) {
        return read(file(configuration, replication), RunRecord.class);
    }

    /**
     * The stored rows that are runs of {@code c} as it is now ({@link Configuration#accepts}), in replication order:
     * rows made with other parameter values (a default changed since) are ignored, and run again.
     */
    public List<RunRecord> rows(Configuration c) {
        // The rows of a configuration nearly always record the same parameters: one map shared among them keeps a
        // sweep of many rows within a bounded heap when its summaries are built (it is two thirds of a row).
        Map<Map<String, String>, Map<String, String>> shared = new HashMap<>();
        List<RunRecord> out = new ArrayList<>();
        Predicate<RunRecord> accepted = c.acceptor();
        for (RunRecord r : rows(c.id())) {
            if (accepted.test(r)) {
                out.add(r.parameters() == null ? r : r.withParameters(shared.computeIfAbsent(r.parameters(),
                        p -> p)));
            }
        }
        return out;
    }

    /** Whether replication {@code r} of {@code c} has a successful stored run of it as it is now. */
    public boolean finished(Configuration c, int r) {
        return read(c.id(), r).filter(x -> x.ok() && c.accepts(x)).isPresent();
    }

    /** Every stored row of {@code configuration}, in replication order. */
    public List<RunRecord> rows(String configuration) {
        Path d = dir.resolve("runs").resolve(configuration);
        List<RunRecord> out = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("r\\d+\\.json")).toList()) {
                read(f, RunRecord.class).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + d + ": " + e.getMessage(), e);
        }
        out.sort((a, b) -> Integer.compare(a.replication(), b.replication()));
        return out;
    }

    public void writePilot(String configuration, Pilot p) {
        writer.write(dir.resolve("pilots").resolve(configuration + ".json"), bytes(p));
    }

    public Optional<Pilot> readPilot(String configuration) {
        return read(dir.resolve("pilots").resolve(configuration + ".json"), Pilot.class);
    }

    private byte[] bytes(Object o) {
        try {
            return json.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + o, e);
        }
    }

    private <T> Optional<T> read(Path f, Class<T> type) {
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(f.toFile(), type));
        } catch (IOException e) {
            Logger.warn("{}: unreadable, ignored (the row will be run again): {}", f, e.getMessage());
            return Optional.empty();
        }
    }
}
