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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nestwalk.report.Json;
import org.nestwalk.util.AtomicFiles;
import org.tinylog.Logger;

/**
 * The results directory's store of finished rows: {@code runs/<configuration>/r<replication>.json}, one file per row,
 * each written atomically the moment its run ends, so whatever is on disk is complete and a restarted experiment
 * knows what it need not run again. Pilot runs for MSER-5 are kept beside them, in {@code pilots/}.
 *
 * <p>A file that cannot be read, or that holds something other than the row its path names ({@link RowCheck}), is
 * reported once, in one line, and treated as missing: the row runs again. A store may be limited to the rows of one
 * build of nestwalk ({@link #ofBuild}); rows of other builds then count as missing too.
 */
public final class RowStore {
    private static final Pattern ROW_FILE = Pattern.compile("r(\\d{1,9})\\.json");

    private final Path dir;
    private final ObjectMapper json;
    private final AtomicFiles.Writer writer;
    /** The damaged files already reported, and why each is unusable; shared by the stores of one directory. */
    private final Map<Path, String> damaged;
    /** The build whose rows count, or null for every build's. */
    private final String build;
    /** Told, in one line each, about every damaged file (the command's standard error; the log by default). */
    private final Consumer<String> warnings;

    public RowStore(Path dir) {
        this(dir, AtomicFiles::write);
    }

    /** A store that tells {@code warnings} about damaged files, one line each. */
    public static RowStore reporting(Path dir, Consumer<String> warnings) {
        return new RowStore(dir, AtomicFiles::write, null, new ConcurrentHashMap<>(), warnings);
    }

    /** A store that writes through {@code writer} (tests pass one that fails, as a full disk does). */
    public RowStore(Path dir, AtomicFiles.Writer writer) {
        this(dir, writer, null, new ConcurrentHashMap<>(), w -> Logger.warn(w));
    }

    private RowStore(Path dir, AtomicFiles.Writer writer, String build, Map<Path, String> damaged,
                     Consumer<String> warnings) {
        this.dir = dir;
        this.json = Json.mapper();
        this.writer = writer;
        this.build = build;
        this.damaged = damaged;
        this.warnings = warnings;
    }

    /**
     * This store limited to the rows made by {@code build} ({@link RunRecord#build}): rows of any other build, or of
     * none recorded, count as missing and are run again.
     */
    public RowStore ofBuild(String build) {
        return new RowStore(dir, writer, build, damaged, warnings);
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

    /**
     * The stored row, if there is one that can be read and is what its path says; a damaged file is reported and
     * treated as missing. Rows of other builds are returned too, whatever the store's build.
     */
    public Optional<RunRecord> read(String configuration, int replication) {
        return read(file(configuration, replication), RunRecord.class,
                r -> RowCheck.problem(r, configuration, replication));
    }

    /** Why the file of that row is there but unusable (damaged or mislabelled), if it is. */
    public Optional<String> damage(String configuration, int replication) {
        Path f = file(configuration, replication);
        read(configuration, replication);
        return Optional.ofNullable(damaged.get(f));
    }

    /**
     * The stored rows that are runs of {@code c} as it is now ({@link Configuration#accepts}) and, if the store is
     * limited to a build, of that build; in replication order. Rows made with other parameter values (a default
     * changed since) are ignored, and run again.
     */
    public List<RunRecord> rows(Configuration c) {
        // The rows of a configuration nearly always record the same parameters: one map shared among them keeps a
        // sweep of many rows within a bounded heap when its summaries are built (it is two thirds of a row).
        Map<Map<String, String>, Map<String, String>> shared = new HashMap<>();
        List<RunRecord> out = new ArrayList<>();
        Predicate<RunRecord> accepted = c.acceptor();
        for (RunRecord r : rows(c.id())) {
            if (accepted.test(r) && ofThisBuild(r)) {
                out.add(r.parameters() == null ? r : r.withParameters(shared.computeIfAbsent(r.parameters(),
                        p -> p)));
            }
        }
        return out;
    }

    /** Whether replication {@code r} of {@code c} has a successful stored run of it as it is now (and of the build). */
    public boolean finished(Configuration c, int r) {
        return read(c.id(), r).filter(x -> x.ok() && c.accepts(x) && ofThisBuild(x)).isPresent();
    }

    private boolean ofThisBuild(RunRecord r) {
        return build == null || build.equals(r.build());
    }

    /** Every usable stored row of {@code configuration}, of any build, in replication order. */
    public List<RunRecord> rows(String configuration) {
        Path d = dir.resolve("runs").resolve(configuration);
        List<RunRecord> out = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : files.toList()) {
                Matcher m = ROW_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    int replication = Integer.parseInt(m.group(1));
                    read(f, RunRecord.class, r -> RowCheck.problem(r, configuration, replication))
                            .ifPresent(out::add);
                }
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
        return read(dir.resolve("pilots").resolve(configuration + ".json"), Pilot.class,
                p -> RowCheck.problem(p, configuration));
    }

    /** The files that were found damaged so far, and why. */
    public Map<Path, String> damaged() {
        return Map.copyOf(damaged);
    }

    private byte[] bytes(Object o) {
        try {
            return json.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + o, e);
        }
    }

    private <T> Optional<T> read(Path f, Class<T> type, Function<T, String> check) {
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        String problem;
        T value = null;
        try {
            value = json.readValue(f.toFile(), type);
            problem = check.apply(value);
        } catch (IOException | RuntimeException e) {
            problem = "unreadable: " + oneLine(e.getMessage());
        }
        if (problem == null) {
            damaged.remove(f);
            return Optional.of(value);
        }
        if (!problem.equals(damaged.put(f, problem))) {
            warnings.accept(f + ": " + problem + "; ignored, the row will be run again");
        }
        return Optional.empty();
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        // Jackson appends the source and a location on further lines: the first line says what is wrong.
        String first = s.strip().split("\\R", 2)[0];
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
    }
}
