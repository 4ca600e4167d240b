package org.nestwalk.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.config.Parameter;
import org.nestwalk.config.Parameters;
import org.nestwalk.sim.RunResult;

/**
 * The runs of {@code nestwalk run} without an experiment file, for a script to read: CSV with the columns of an
 * experiment's runs.csv that a single run has (one line per run, every metric and parameter; NA as an empty cell,
 * sizes in bytes), or JSON (the same, nested; NA as null).
 */
public final class RunExport {
    private RunExport() {
    }

    public static String csv(List<RunResult> results, String version, String build) {
        Csv csv = new Csv();
        List<String> header = new ArrayList<>(List.of("mode", "workload", "seed", "replication", "references",
                "warmup", "version", "build"));
        header.addAll(Metrics.names());
        header.addAll(Parameters.keys());
        csv.row(header);
        for (RunResult r : results) {
            List<Object> line = new ArrayList<>(List.of(r.spec().mode().label(), r.spec().workload().name(),
                    r.spec().seed(), r.spec().replication(), r.spec().references(), r.spec().warmupReferences(),
                    version, build));
            Metrics.of(r).values().forEach(line::add);
            Map<String, String> text = r.spec().settings().asText();
            for (String k : Parameters.keys()) {
                line.add(value(k, text.get(k)));
            }
            csv.row(line);
        }
        return csv.text();
    }

    public static String json(List<RunResult> results, String version, String build) {
        List<Object> runs = new ArrayList<>();
        for (RunResult r : results) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("mode", r.spec().mode().label());
            run.put("workload", r.spec().workload().name());
            run.put("seed", r.spec().seed());
            run.put("replication", r.spec().replication());
            run.put("references", r.spec().references());
            run.put("warmup", r.spec().warmupReferences());
            run.put("version", version);
            run.put("build", build);
            run.put("metrics", Metrics.of(r));
            Map<String, Object> parameters = new LinkedHashMap<>();
            r.spec().settings().asText().forEach((k, v) -> parameters.put(k, value(k, v)));
            run.put("parameters", parameters);
            runs.add(run);
        }
        return Json.write(Map.of("runs", runs)) + "\n";
    }

    /** A parameter's value as a number where it is one (sizes in bytes), else as text. */
    private static Object value(String key, String text) {
        Parameter p = Parameters.get(key, "export");
        return p.kind() == Parameter.Kind.TEXT || p.kind() == Parameter.Kind.CHOICE ? text : p.parse(text, "export");
    }
}
