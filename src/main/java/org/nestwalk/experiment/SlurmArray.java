package org.nestwalk.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nestwalk.config.ConfigException;
import org.nestwalk.report.Csv;
import org.nestwalk.experiment.Manifest.Row;
import org.nestwalk.util.AtomicFiles;
import org.nestwalk.util.BuildInfo;

/**
 * An experiment's rows as a Slurm job array: {@code DIR/slurm/array-N/} holds {@code rows.csv} (which task runs which
 * rows), {@code sweep.sbatch} (the script to give {@code sbatch}: one array task per chunk of rows, at most
 * {@code throttle} running at once, {@code SLURM_ARRAY_TASK_ID} selecting the chunk) and {@code logs/} (each task's
 * output). Each task runs its rows with {@code nestwalk sweep --task K DIR/slurm/array-N} and stores each row's result
 * in {@code DIR/runs/} the moment it ends, as a local run does (one file per row, written atomically, so tasks never
 * write the same file and a killed task loses only the row it was running). The directory must therefore be on a
 * file system every node sees.
 *
 * <p>An array holds only the rows that were due when it was emitted ({@link ReplicationTargets#due}): emitting again
 * after some tasks failed, or after a round of adaptive replications, makes an array of what is still missing, in a
 * new {@code array-N}, and leaves the earlier arrays' files alone.
 */
public final class SlurmArray {
    /** Where arrays go in a results directory. */
    public static final String DIR = "slurm";
    /** Slurm's default {@code MaxArraySize} is 1001, so indices 0 to 1000; by default an array stays below. */
    public static final int DEFAULT_MAX_TASKS = 1000;

    private static final String ROWS = "rows.csv";
    private static final String SCRIPT = "sweep.sbatch";
    private static final String LOGS = "logs";
    private static final Pattern ARRAY = Pattern.compile("array-(\\d+)");
    /** What a path or value may hold to be written into an {@code #SBATCH} line as it is. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:+=,@-]+");
    /** An sbatch option as one word: --name, --name=value or -x, -xvalue, the value as safe as {@link #SAFE}'s. */
    private static final Pattern DIRECTIVE = Pattern.compile(
            "--[A-Za-z][A-Za-z0-9-]*(=[A-Za-z0-9_./:+=,@-]+)?|-[A-Za-z][A-Za-z0-9_./:+=,@-]*");
    private static final Pattern ROW = Pattern.compile("(\\d+),([^,/]+)/r(\\d+),([^,/]+),(\\d+)");

    private SlurmArray() {
    }

    /**
     * How the array is to run.
     *
     * @param rowsPerTask rows each task runs, one after another ({@code --jobs} of them at once); 0 to choose: as
     *                    few as keep the array within {@link #DEFAULT_MAX_TASKS} tasks
     * @param throttle    at most this many tasks run at once (the {@code %} of {@code --array})
     * @param cpusPerTask CPUs of each task, and the rows it runs at once
     * @param partition   {@code --partition}, or null for the cluster's default
     * @param account     {@code --account}, or null
     * @param time        {@code --time} of each task, or null for the partition's default
     * @param memory      {@code --mem} of each task, or null for the partition's default
     * @param directives  further {@code sbatch} options, each written as an {@code #SBATCH} line
     * @param command     the command that starts nestwalk on a node (java and its arguments)
     * @param workingDir  where the tasks run: where relative paths in the experiment (its traces) resolve, as they
     *                    did for the emission
     */
    public record Options(int rowsPerTask, int throttle, int cpusPerTask, String partition, String account,
                          String time, String memory, List<String> directives, List<String> command,
                          Path workingDir) {
        public Options {
            directives = List.copyOf(directives);
            command = List.copyOf(command);
            if (rowsPerTask < 0) {
                throw new ConfigException("--rows-per-task must be at least 1 (or 0 to choose), not " + rowsPerTask);
            }
            if (throttle < 1) {
                throw new ConfigException("--throttle must be at least 1, not " + throttle);
            }
            if (cpusPerTask < 1) {
                throw new ConfigException("--cpus-per-task must be at least 1, not " + cpusPerTask);
            }
            safe("--partition", partition);
            safe("--account", account);
            safe("--time", time);
            safe("--mem", memory);
            for (String d : directives) {
                // As strict as --partition: the option goes into an #SBATCH line as it is.
                if (!DIRECTIVE.matcher(d).matches()) {
                    throw new ConfigException("--sbatch: expected an sbatch option such as --qos=short (one word: "
                            + "letters, digits and _ . / : + = , @ - only: no spaces, quotes or %), not '"
                            + d.replace("\n", "\\n").replace("\r", "\\r") + "'");
                }
            }
        }
    }

    /**
     * An array written to disk.
     *
     * @param dir         its directory, {@code DIR/slurm/array-N}
     * @param script      the script to submit
     * @param rows        the rows it runs
     * @param tasks       its tasks (array indices 0 to tasks - 1)
     * @param rowsPerTask rows per task (the last may have fewer)
     */
    public record Emitted(Path dir, Path script, int rows, int tasks, int rowsPerTask) {
    }

    /** Refuses a results directory that an {@code #SBATCH} line cannot name (before anything is written to it). */
    public static void check(Path resultsDir) {
        safe("the results directory", resultsDir.toAbsolutePath().normalize().toString());
    }

    /** Writes a new array of {@code rows} (all of them rows of {@code m}) into the results directory. */
    public static Emitted emit(ResultsDirectory results, Manifest m, List<Row> rows, Options o) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("an array needs rows");
        }
        check(results.path());
        Path base = results.path().toAbsolutePath().normalize();
        int perTask = o.rowsPerTask() > 0 ? o.rowsPerTask() : (rows.size() + DEFAULT_MAX_TASKS - 1) / DEFAULT_MAX_TASKS;
        int tasks = (rows.size() + perTask - 1) / perTask;
        Path dir = newArrayDirectory(base.resolve(DIR));
        try {
            Files.createDirectories(dir.resolve(LOGS));
        } catch (IOException x) {
            throw new UncheckedIOException("cannot create " + dir.resolve(LOGS) + ": " + x.getMessage(), x);
        }
        Csv csv = new Csv();
        csv.row(List.of("task", "row", "configuration", "replication"));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            csv.row(List.of(i / perTask, r.label(), r.configuration().id(), r.replication()));
        }
        AtomicFiles.write(dir.resolve(ROWS), csv.text());
        Path script = dir.resolve(SCRIPT);
        AtomicFiles.write(script, script(m.experiment(), dir, rows.size(), tasks, perTask, o));
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException | UnsupportedOperationException x) {
            // Only a convenience: sbatch reads the script whether or not it is executable.
        }
        return new Emitted(dir, script, rows.size(), tasks, perTask);
    }

    private static String script(Experiment e, Path dir, int rows, int tasks, int perTask, Options o) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append(String.format(Locale.ROOT, "# Job array %s of experiment %s%s: %d rows in %d tasks of %s.%n",
                dir.getFileName(), e.name(), e.quick() ? " (quick)" : "", rows, tasks,
                perTask == 1 ? "one row" : "up to " + perTask + " rows"));
        s.append("# Written by nestwalk ").append(BuildInfo.version()).append(" (sweep --emit slurm) on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(".\n# Submit it with\n");
        s.append("#   sbatch ").append(dir.resolve(SCRIPT)).append('\n');
        s.append("# Task K runs the rows of ").append(ROWS).append(" whose task is K, storing each result in\n");
        s.append("# ").append(dir.getParent().getParent().resolve("runs")).append(" as it ends; then\n");
        s.append("#   nestwalk merge ").append(dir.getParent().getParent())
                .append("\n# builds the summaries from whatever finished and lists what is missing.\n");
        s.append("#SBATCH --job-name=nestwalk-").append(e.name().replaceAll("[^A-Za-z0-9._-]", "_")).append('\n');
        s.append("#SBATCH --array=0-").append(tasks - 1).append('%').append(o.throttle()).append('\n');
        s.append("#SBATCH --ntasks=1\n");
        s.append("#SBATCH --cpus-per-task=").append(o.cpusPerTask()).append('\n');
        s.append("#SBATCH --output=").append(dir.resolve(LOGS)).append("/%A_%a.out\n");
        if (o.partition() != null) {
            s.append("#SBATCH --partition=").append(o.partition()).append('\n');
        }
        if (o.account() != null) {
            s.append("#SBATCH --account=").append(o.account()).append('\n');
        }
        if (o.time() != null) {
            s.append("#SBATCH --time=").append(o.time()).append('\n');
        }
        if (o.memory() != null) {
            s.append("#SBATCH --mem=").append(o.memory()).append('\n');
        }
        for (String d : o.directives()) {
            s.append("#SBATCH ").append(d).append('\n');
        }
        s.append("set -eu\n");
        s.append("cd ").append(quote(o.workingDir().toAbsolutePath().normalize().toString())).append('\n');
        s.append("exec");
        for (String c : o.command()) {
            s.append(' ').append(quote(c));
        }
        s.append(" sweep --task \"$SLURM_ARRAY_TASK_ID\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" ")
                .append(quote(dir.toString())).append('\n');
        return s.toString();
    }

    /** The results directory an array belongs to: {@code DIR} of {@code DIR/slurm/array-N}. */
    public static Path resultsOf(Path arrayDir) {
        Path a = arrayDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(a.resolve(ROWS)) || a.getParent() == null
                || !a.getParent().getFileName().toString().equals(DIR) || a.getParent().getParent() == null) {
            throw new ConfigException(arrayDir + ": not a job array's directory (DIR/" + DIR + "/array-N with "
                    + ROWS + ", as 'nestwalk sweep --emit slurm' writes)");
        }
        return a.getParent().getParent();
    }

    /**
     * The rows task {@code task} of the array runs, as configurations of {@code m}. A row whose configuration {@code m}
     * does not have means the experiment in the results directory changed after the array was emitted.
     */
    public static List<Row> rowsOfTask(Path arrayDir, int task, Manifest m) {
        Path file = arrayDir.resolve(ROWS);
        List<Row> rows = new ArrayList<>();
        int tasks = 0;
        for (Entry r : read(file)) {
            tasks = Math.max(tasks, r.task() + 1);
            if (r.task() != task) {
                continue;
            }
            Configuration c = m.byId(r.configuration());
            if (c == null) {
                throw new ConfigException(file + " line " + r.line() + ": configuration " + r.configuration()
                        + " is not in the experiment " + resultsOf(arrayDir)
                        + " now holds (the experiment file changed since the array was emitted); emit a new array");
            }
            rows.add(new Row(c, r.replication()));
        }
        if (rows.isEmpty()) {
            throw new ConfigException(arrayDir + ": no task " + task + " (the array's tasks are 0 to " + (tasks - 1)
                    + ")");
        }
        return rows;
    }

    /**
     * A task of an array.
     *
     * @param array the array's directory name, {@code array-N}
     * @param task  the task's index
     */
    public record Task(String array, int task) {
        /** Its log files (one per submission of the array), as a shell pattern. */
        public Path logs(Path resultsDir) {
            return resultsDir.resolve(DIR).resolve(array).resolve(LOGS).resolve("*_" + task + ".out");
        }

        @Override
        public String toString() {
            return array + " task " + task;
        }
    }

    /**
     * For each row label that an array of the results directory holds: the newest such array's task that has it, to
     * point at the log of a task that did not finish.
     */
    public static Map<String, Task> tasksOfRows(Path resultsDir) {
        Map<String, Task> where = new HashMap<>();
        for (Path a : arrays(resultsDir.resolve(DIR))) {
            if (Files.isRegularFile(a.resolve(ROWS))) {
                try {
                    for (Entry r : read(a.resolve(ROWS))) {
                        where.put(r.label(), new Task(a.getFileName().toString(), r.task()));
                    }
                } catch (ConfigException x) {
                    // Only a pointer for the user; a damaged rows file is no reason not to merge.
                }
            }
        }
        return where;
    }

    private record Entry(int line, int task, String label, String configuration, int replication) {
    }

    private static List<Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException x) {
            throw new ConfigException(file + ": cannot read: " + x.getMessage());
        }
        if (lines.isEmpty() || !lines.get(0).equals("task,row,configuration,replication")) {
            throw new ConfigException(file + " line 1: expected the header task,row,configuration,replication");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            Matcher x = ROW.matcher(lines.get(i));
            if (!x.matches() || !x.group(2).equals(x.group(4)) || !x.group(3).equals(x.group(5))) {
                throw new ConfigException(file + " line " + (i + 1) + ": expected task,configuration/rK,"
                        + "configuration,K, not '" + lines.get(i) + "'");
            }
            try {
                out.add(new Entry(i + 1, Integer.parseInt(x.group(1)), x.group(2) + "/r" + x.group(3), x.group(2),
                        Integer.parseInt(x.group(5))));
            } catch (NumberFormatException n) {
                throw new ConfigException(file + " line " + (i + 1) + ": a number out of range: " + lines.get(i));
            }
        }
        return out;
    }

    /** The arrays under {@code slurmDir}, oldest first. */
    private static List<Path> arrays(Path slurmDir) {
        if (!Files.isDirectory(slurmDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(slurmDir)) {
            return s.filter(p -> ARRAY.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Long.compare(number(a), number(b))).toList();
        } catch (IOException x) {
            throw new UncheckedIOException("cannot list " + slurmDir + ": " + x.getMessage(), x);
        }
    }

    private static long number(Path array) {
        try {
            return Long.parseLong(array.getFileName().toString().substring("array-".length()));
        } catch (NumberFormatException x) {
            return Long.MAX_VALUE;
        }
    }

    /** Creates {@code array-N} with N one more than the newest; a concurrent emission gets the next number. */
    private static Path newArrayDirectory(Path slurmDir) {
        List<Path> existing = arrays(slurmDir);
        long n = existing.isEmpty() ? 1 : number(existing.get(existing.size() - 1)) + 1;
        try {
            Files.createDirectories(slurmDir);
            while (true) {
                Path dir = slurmDir.resolve("array-" + n);
                try {
                    return Files.createDirectory(dir);
                } catch (FileAlreadyExistsException x) {
                    n++;
                }
            }
        } catch (IOException x) {
            throw new UncheckedIOException("cannot create a job array directory in " + slurmDir + ": "
                    + x.getMessage(), x);
        }
    }

    private static void safe(String what, String value) {
        if (value != null && !SAFE.matcher(value).matches()) {
            throw new ConfigException(what + ": '" + value + "' cannot go into an #SBATCH line (use letters, digits "
                    + "and _ . / : + = , @ - only: no spaces, quotes or %)");
        }
    }

    /** {@code s} as one word of a POSIX shell command line. */
    static String quote(String s) {
        return SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
