package org.nestwalk.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.config.ConfigException;
import org.nestwalk.report.Json;
import org.nestwalk.util.AtomicFiles;
import org.tinylog.Logger;

/**
 * An experiment's results directory: a copy of the experiment file it holds the results of (so {@code merge} can
 * rebuild the summaries from the directory alone), the stored rows, and the outputs built from them.
 */
public final class ResultsDirectory {
    private static final String COPY = "experiment.yaml";
    private static final String ORIGIN = "experiment.json";

    private final Path dir;
    /** One store for the directory, so that a damaged row is reported once however often it is read. */
    private final RowStore store;

    public ResultsDirectory(Path dir) {
        this.dir = dir;
        this.store = new RowStore(dir);
    }

    /** The directory, telling {@code warnings} about damaged rows, one line each (a command's standard error). */
    public ResultsDirectory(Path dir, java.util.function.Consumer<String> warnings) {
        this.dir = dir;
        this.store = RowStore.reporting(dir, warnings);
    }

    public Path path() {
        return dir;
    }

    public RowStore store() {
        return store;
    }

    /**
     * Claims the directory for experiment {@code e}, read from {@code file}: refuses a directory that holds another
     * experiment's results, and records the file's text and variant for {@link #load}.
     */
    public void claim(Path file, Experiment e) {
        Path origin = dir.resolve(ORIGIN);
        if (Files.exists(origin)) {
            String held = readOrigin().path("experiment").asText("");
            if (!held.equals(e.name())) {
                throw new ConfigException(dir + " holds the results of experiment '" + held + "', not '"
                        + e.name() + "'; choose another --out directory");
            }
        }
        try {
            AtomicFiles.write(dir.resolve(COPY), TextFiles.read(file, "experiment file", ExperimentFile.MAX_FILE_BYTES));
        } catch (IOException x) {
            throw new ConfigException(file + ": cannot read the experiment file: " + x.getMessage());
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("experiment", e.name());
        o.put("file", file.toString());
        o.put("quick", e.quick());
        AtomicFiles.write(origin, Json.write(o) + "\n");
    }

    /** The experiment whose results the directory holds, from its copy of the experiment file. */
    public Experiment load() {
        Path copy = dir.resolve(COPY);
        if (!Files.exists(copy) || !Files.exists(dir.resolve(ORIGIN))) {
            throw new ConfigException(dir + ": not an experiment's results directory (no " + COPY + " and " + ORIGIN
                    + "; 'nestwalk run EXPERIMENT --out " + dir + "' makes one)");
        }
        JsonNode origin = readOrigin();
        try {
            return ExperimentFile.parse(TextFiles.read(copy, "experiment file", ExperimentFile.MAX_FILE_BYTES),
                    origin.path("file").asText(copy.toString()), origin.path("experiment").asText("experiment"),
                    origin.path("quick").asBoolean(false));
        } catch (IOException x) {
            throw new ConfigException(copy + ": cannot read: " + x.getMessage());
        }
    }

    /** The experiment file the directory's results were run from, as it was named then. */
    public String experimentFile() {
        return readOrigin().path("file").asText(dir.resolve(COPY).toString());
    }

    /**
     * What {@link #publish} wrote, and the analysis it wrote from.
     *
     * @param files    the files written
     * @param analysis the statistics of the stored rows
     */
    public record Published(List<Path> files, Analysis analysis) {
    }

    /**
     * Builds every output from the rows on disk: the summaries, the plots and the README. A plot that cannot be drawn
     * is reported and skipped; the tables are written regardless.
     */
    public Published publish(Manifest manifest) {
        Analysis a = Analysis.of(manifest, store);
        List<Path> plots = new ArrayList<>();
        try {
            plots.addAll(Plots.write(a, dir));
        } catch (RuntimeException | LinkageError x) {
            Logger.error("the plots could not be drawn ({}); the tables are written all the same", x.toString());
        }
        List<Path> out = new ArrayList<>(new ResultsWriter(a, dir, store).writeAll(plots));
        out.addAll(plots);
        return new Published(out, a);
    }

    private JsonNode readOrigin() {
        Path origin = dir.resolve(ORIGIN);
        try {
            return Json.mapper().readTree(origin.toFile());
        } catch (IOException x) {
            throw new ConfigException(origin + ": unreadable: " + x.getMessage());
        }
    }
}
