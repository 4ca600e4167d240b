package org.nestwalk.experiment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nestwalk.config.ConfigException;
import org.nestwalk.config.MachinePresets;
import org.nestwalk.config.Parameter;
import org.nestwalk.config.Parameters;
import org.nestwalk.experiment.Experiment.Factor;
import org.nestwalk.experiment.Experiment.Outputs;
import org.nestwalk.experiment.Experiment.Paper;
import org.nestwalk.experiment.Experiment.Replications;
import org.nestwalk.experiment.Experiment.Setting;
import org.nestwalk.experiment.Experiment.Warmup;
import org.nestwalk.experiment.Experiment.WorkloadChoice;
import org.nestwalk.report.Metrics;
import org.nestwalk.sim.SamplingPlan;
import org.nestwalk.sim.Simulation;
import org.nestwalk.stats.MserTruncation;
import org.nestwalk.util.Spelling;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.workload.Presets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and checks an experiment file (YAML). Every key is known, every value has the right type and range, and
 * every parameter key and value is checked against {@link Parameters}; the first problem found is reported as a
 * {@link ConfigException} naming the file, the line and the key. The file's {@code quick} section, which replaces
 * top-level keys for a short variant, is checked too, whichever variant is asked for.
 */
public final class ExperimentFile {
    private static final Set<String> TOP = new LinkedHashSet<>(List.of("name", "description", "seed", "references",
            "warmup", "replications", "modes", "baseline", "workloads", "machine", "factors", "constraints",
            "outputs", "paper", "sample", "quick"));
    private static final long MAX_REFERENCES = 1L << 40;
    private static final int MAX_REPLICATIONS = 10_000;
    private static final int MAX_CONFIGURATIONS = 100_000;
    /**
     * The largest experiment file read. Shipped ones are 1-2 KiB; the YAML scanner's time grows with the square of
     * a long value (a quoted 8 MB description took 45 s, 16 MB 333 s), so a larger file is refused before it is read.
     */
    public static final int MAX_FILE_BYTES = 256 * 1024;
    /** The longest value (or key) a file may hold; the longest shipped one is under 500 characters. */
    public static final int MAX_VALUE_CHARS = 16 * 1024;

    private ExperimentFile() {
    }

    /** Reads {@code path}; the quick variant if {@code quick}. */
    public static Experiment read(Path path, boolean quick) {
        String text;
        try {
            text = TextFiles.read(path, "experiment file", MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read the experiment file: " + e.getMessage());
        }
        return parse(text, path.toString(), defaultName(path), quick);
    }

    /**
     * Reads a machine file: parameter settings, as an experiment's {@code machine:} block holds them (one
     * {@code key: value} line per parameter; {@code nestwalk params} lists the keys), each checked, in the file's
     * order, with where it was written.
     */
    public static Map<String, Setting> readMachine(Path path) {
        String text;
        try {
            text = TextFiles.read(path, "machine file", MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read the machine file: " + e.getMessage());
        }
        Node root = compose(text, path.toString());
        if (root == null) {
            throw new ConfigException(path + ": the machine file is empty (expected 'key: value' lines, such as "
                    + "'tlb.l2.entries: 1024')");
        }
        return settings(new YamlNode(root, path.toString(), ""), true);
    }

    /**
     * The YAML tree of {@code text}, each value at most {@link #MAX_VALUE_CHARS} long, or null for an empty text;
     * every problem a one-line {@link ConfigException} naming {@code file} and the line.
     */
    static Node compose(String text, String file) {
        if (text.length() > MAX_FILE_BYTES) {
            throw new ConfigException(file + ": " + text.length() + " characters; a YAML file may hold at most "
                    + MAX_FILE_BYTES / 1024 + " KiB");
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_FILE_BYTES + 1);
        Node root;
        try {
            root = new Yaml(options).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String line = m == null ? "" : " line " + (m.getLine() + 1);
            throw new ConfigException(file + line + ": not valid YAML: " + oneLine(e.getProblem()));
        } catch (YAMLException e) {
            throw new ConfigException(file + ": not valid YAML: " + oneLine(e.getMessage()));
        }
        if (root != null) {
            checkValueLengths(root, file);
        }
        return root;
    }

    /** Refuses any key or value longer than {@link #MAX_VALUE_CHARS}, naming its line. */
    private static void checkValueLengths(Node n, String file) {
        if (n instanceof ScalarNode s) {
            if (s.getValue().length() > MAX_VALUE_CHARS) {
                throw new ConfigException(file + " line " + (s.getStartMark().getLine() + 1) + ": a value of "
                        + s.getValue().length() + " characters; a value may be at most " + MAX_VALUE_CHARS / 1024
                        + " KiB long");
            }
        } else if (n instanceof SequenceNode q) {
            for (Node item : q.getValue()) {
                checkValueLengths(item, file);
            }
        } else if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                checkValueLengths(t.getKeyNode(), file);
                checkValueLengths(t.getValueNode(), file);
            }
        }
    }

    /**
     * Parses experiment text.
     *
     * @param file        the file's name, for messages
     * @param defaultName the experiment's name when the text gives none
     */
    public static Experiment parse(String text, String file, String defaultName, boolean quick) {
        Node root = compose(text, file);
        if (root == null) {
            throw new ConfigException(file + ": the experiment file is empty");
        }
        Map<String, YamlNode> top = new YamlNode(root, file, "").entries(TOP);
        Map<String, YamlNode> quickKeys = new LinkedHashMap<>();
        if (top.containsKey("quick")) {
            Set<String> replaceable = new LinkedHashSet<>(TOP);
            replaceable.remove("name");
            replaceable.remove("quick");
            quickKeys = top.get("quick").entries(replaceable);
        }
        Map<String, YamlNode> full = new LinkedHashMap<>(top);
        full.remove("quick");
        Map<String, YamlNode> reduced = new LinkedHashMap<>(full);
        reduced.putAll(quickKeys);
        Experiment normal = build(full, file, defaultName, false);
        Experiment shortened;
        try {
            shortened = build(reduced, file, defaultName, true);
        } catch (ConfigException e) {
            throw quickKeys.isEmpty() ? e : new ConfigException(e.getMessage() + " (in the quick variant: the 'quick'"
                    + " section's keys replace the top-level ones)");
        }
        return quick ? shortened : normal;
    }

    private static Experiment build(Map<String, YamlNode> k, String file, String defaultName, boolean quick) {
        String name = k.containsKey("name") ? k.get("name").word() : defaultName;
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw k.get("name").error("expected letters, digits, '.', '_' or '-' (it names a directory), not '"
                    + name + "'");
        }
        String description = k.containsKey("description") ? k.get("description").text() : "";
        long seed = k.containsKey("seed") ? k.get("seed").integer(Long.MIN_VALUE, Long.MAX_VALUE) : 1;
        YamlNode refsNode = required(k, "references", file);
        long references = refsNode.integer(1, MAX_REFERENCES);
        Warmup warmup = warmup(k.get("warmup"), references);
        Replications replications = replications(required(k, "replications", file));
        List<ModeKind> modes = modes(required(k, "modes", file));
        ModeKind baseline = baseline(k.get("baseline"), modes);
        List<WorkloadChoice> workloads = workloads(required(k, "workloads", file));
        Map<String, Setting> machine = k.containsKey("machine") ? settings(k.get("machine"), true) : Map.of();
        List<Factor> factors = k.containsKey("factors") ? factors(k.get("factors")) : List.of();
        List<Constraint> constraints = k.containsKey("constraints") ? constraints(k.get("constraints"))
                : List.of();
        Outputs outputs = outputs(k.get("outputs"), factors);
        Paper paper = k.containsKey("paper") ? paper(k.get("paper"), modes, baseline) : null;
        SamplingPlan sample = k.containsKey("sample") ? sample(k.get("sample"), references, warmup) : null;
        long configurations = (long) modes.size() * workloads.size();
        for (Factor f : factors) {
            configurations *= f.values().size();
        }
        if (configurations > MAX_CONFIGURATIONS) {
            throw new ConfigException(file + ": the grid has " + configurations
                    + " configurations; at most " + MAX_CONFIGURATIONS + " are allowed");
        }
        return new Experiment(name, description, file, seed, references, warmup, replications, modes, baseline,
                workloads, machine, factors, constraints, outputs, paper, sample, quick);
    }

    private static YamlNode required(Map<String, YamlNode> k, String key, String file) {
        YamlNode n = k.get(key);
        if (n == null) {
            throw new ConfigException(file + ": the key '" + key + "' is missing");
        }
        return n;
    }

    private static Warmup warmup(YamlNode n, long references) {
        if (n == null) {
            return new Warmup.Fixed(references / 5);
        }
        if (n.isScalar()) {
            return new Warmup.Fixed(n.integer(0, references - 1));
        }
        YamlNode mser = n.entries(Set.of("mser5")).get("mser5");
        if (mser == null) {
            throw n.error("expected a number of references or 'mser5: {pilot: N}'");
        }
        long pilot = references;
        if (!mser.isScalar() || !mser.text().isEmpty()) {
            YamlNode p = mser.entries(Set.of("pilot")).get("pilot");
            if (p != null) {
                pilot = p.integer((long) MserTruncation.MIN_BATCHES * Simulation.PILOT_SAMPLE_REFERENCES, MAX_REFERENCES);
            }
        }
        return new Warmup.Mser5(pilot);
    }

    /** {@code sample: {unit: N, warmup: N, period: N, minUnits: N, halfWidth: X%}}: sampled simulation. */
    private static SamplingPlan sample(YamlNode n, long references, Warmup warmup) {
        Map<String, YamlNode> e = n.entries(new LinkedHashSet<>(List.of("unit", "warmup", "period", "minUnits",
                "halfWidth")));
        SamplingPlan d = SamplingPlan.DEFAULT;
        if (!(warmup instanceof Warmup.Fixed)) {
            throw n.error("sampled simulation needs a fixed warm-up (it is warmed functionally), not MSER-5");
        }
        long unit = e.containsKey("unit") ? e.get("unit").integer(1, references) : d.unit();
        long detailed = e.containsKey("warmup") ? e.get("warmup").integer(0, references) : d.warmup();
        long period = e.containsKey("period") ? e.get("period").integer(1, references) : d.period();
        int min = e.containsKey("minUnits") ? (int) e.get("minUnits").integer(2, 1_000_000) : d.minUnits();
        double width = e.containsKey("halfWidth") ? e.get("halfWidth").real(0, 0.99) : d.halfWidth();
        if (period < unit + detailed) {
            throw n.error("a unit of " + unit + " references after " + detailed + " in detail must fit its period of "
                    + period);
        }
        return new SamplingPlan(unit, detailed, period, min, width);
    }

    private static Replications replications(YamlNode n) {
        if (n.isScalar()) {
            return Replications.fixed((int) n.integer(2, MAX_REPLICATIONS));
        }
        Map<String, YamlNode> e = n.entries(new LinkedHashSet<>(List.of("min", "max", "until")));
        if (!e.containsKey("min")) {
            throw n.error("expected 'min: N' (and 'until' with 'max' for more as needed)");
        }
        int min = (int) e.get("min").integer(2, MAX_REPLICATIONS);
        if (!e.containsKey("until")) {
            if (e.containsKey("max")) {
                throw e.get("max").error("'max' needs 'until: {metric: M, halfWidth: X%}'");
            }
            return Replications.fixed(min);
        }
        if (!e.containsKey("max")) {
            throw n.error("'until' needs 'max: N', the most replications to spend");
        }
        int max = (int) e.get("max").integer(min, MAX_REPLICATIONS);
        Map<String, YamlNode> until = e.get("until").entries(new LinkedHashSet<>(List.of("metric", "halfWidth")));
        if (!until.containsKey("metric") || !until.containsKey("halfWidth")) {
            throw e.get("until").error("expected 'metric: M' and 'halfWidth: X%' (relative to the mean)");
        }
        String metric = metric(until.get("metric"));
        double width = until.get("halfWidth").real(1e-6, 1);
        return new Replications(min, max, metric, width);
    }

    private static String metric(YamlNode n) {
        String m = n.word();
        if (Metrics.get(m) == null) {
            throw n.error("unknown metric '" + m + "'" + Spelling.hint(m, Metrics.names())
                    + "; 'nestwalk params' lists the metrics");
        }
        return m;
    }

    private static List<ModeKind> modes(YamlNode n) {
        List<ModeKind> modes = new ArrayList<>();
        for (YamlNode item : n.items()) {
            ModeKind m = mode(item);
            if (modes.contains(m)) {
                throw item.error("mode '" + m.label() + "' is listed twice");
            }
            modes.add(m);
        }
        if (modes.isEmpty()) {
            throw n.error("expected at least one mode (" + ModeKind.labels() + ")");
        }
        return modes;
    }

    private static ModeKind mode(YamlNode n) {
        try {
            return ModeKind.parse(n.word());
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    private static ModeKind baseline(YamlNode n, List<ModeKind> modes) {
        if (n == null) {
            return modes.get(0);
        }
        ModeKind b = mode(n);
        if (!modes.contains(b)) {
            throw n.error("the baseline '" + b.label() + "' must be one of the modes of the experiment");
        }
        return b;
    }

    private static List<WorkloadChoice> workloads(YamlNode n) {
        List<WorkloadChoice> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (YamlNode item : n.items()) {
            WorkloadChoice w;
            if (item.isScalar()) {
                w = new WorkloadChoice(preset(item), preset(item), Map.of());
            } else {
                Map<String, YamlNode> e = item.entries(new LinkedHashSet<>(List.of("name", "preset", "trace",
                        "set")));
                if (e.containsKey("preset") == e.containsKey("trace")) {
                    throw item.error("expected either 'preset: P' (one of " + Presets.names()
                            + ") or 'trace: FILE'");
                }
                Map<String, Setting> set = new LinkedHashMap<>();
                String preset = null;
                String name;
                if (e.containsKey("trace")) {
                    YamlNode t = e.get("trace");
                    Path trace = Path.of(t.word());
                    Path base = Path.of(t.file()).toAbsolutePath().getParent();
                    // Relative to the experiment file, so an experiment finds its traces from any directory.
                    String resolved = base == null || trace.isAbsolute() ? trace.toString()
                            : base.resolve(trace).normalize().toString();
                    set.put("workload.trace", new Setting(resolved, t.where()));
                    set.put("workload.prefault", new Setting("false", t.where()));
                    name = e.containsKey("name") ? e.get("name").word()
                            : trace.getFileName().toString().replaceFirst("\\.trace$", "");
                } else {
                    preset = preset(e.get("preset"));
                    name = e.containsKey("name") ? e.get("name").word() : preset;
                }
                if (e.containsKey("set")) {
                    set.putAll(settings(e.get("set"), false));
                }
                w = new WorkloadChoice(name, preset, set);
            }
            if (!names.add(w.name())) {
                throw item.error("two workloads are called '" + w.name() + "'; give one a 'name'");
            }
            out.add(w);
        }
        if (out.isEmpty()) {
            throw n.error("expected at least one workload");
        }
        return out;
    }

    private static String preset(YamlNode n) {
        try {
            return Presets.get(n.word()).name();
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    /** Parameter settings: every key known, every value valid for its parameter. */
    /** Parameter settings; in the {@code machine} section ({@code machinePreset}), 'preset: NAME' names a machine. */
    private static Map<String, Setting> settings(YamlNode n, boolean machinePreset) {
        Map<String, Setting> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : n.entries(null).entrySet()) {
            if (machinePreset && e.getKey().equals("preset")) {
                if (!out.isEmpty()) {
                    throw e.getValue().error("'preset' names the machine the other keys change: put it first");
                }
                // A named machine: its values first, so that the keys after it may change them.
                MachinePresets.Preset preset;
                try {
                    preset = MachinePresets.get(e.getValue().word());
                } catch (ConfigException x) {
                    throw e.getValue().error(x.getMessage());
                }
                for (MachinePresets.Value v : preset.values()) {
                    out.put(v.key(), new Setting(v.value(), e.getValue().where() + " (machine preset '"
                            + preset.name() + "')"));
                }
                continue;
            }
            Parameter p = parameter(e.getKey(), e.getValue());
            String raw = e.getValue().text();
            p.parse(raw, e.getValue().where());
            out.put(e.getKey(), new Setting(raw, e.getValue().where()));
        }
        return out;
    }

    private static Parameter parameter(String key, YamlNode at) {
        try {
            return Parameters.get(key, at.where());
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static List<Factor> factors(YamlNode n) {
        List<Factor> out = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : n.entries(null).entrySet()) {
            YamlNode v = e.getValue();
            Parameter p = parameter(e.getKey(), v);
            List<String> values = v.isMapping() ? range(v, p) : new ArrayList<>();
            if (!v.isMapping()) {
                for (YamlNode item : v.items()) {
                    String raw = item.text();
                    p.parse(raw, item.where());
                    values.add(raw);
                }
            }
            if (values.isEmpty()) {
                throw v.error("expected at least one value");
            }
            if (new LinkedHashSet<>(values).size() != values.size()) {
                throw v.error("a value is listed twice");
            }
            out.add(new Factor(e.getKey(), values, v.where()));
        }
        return out;
    }

    /** {@code {from: A, to: B, step: S}} (arithmetic) or {@code {from: A, to: B, times: F}} (geometric). */
    private static List<String> range(YamlNode n, Parameter p) {
        if (p.kind() != Parameter.Kind.INTEGER && p.kind() != Parameter.Kind.SIZE) {
            throw n.error("a range needs a whole-number parameter; list the values of " + p.key() + " instead");
        }
        Map<String, YamlNode> e = n.entries(new LinkedHashSet<>(List.of("from", "to", "step", "times")));
        if (!e.containsKey("from") || !e.containsKey("to") || e.containsKey("step") == e.containsKey("times")) {
            throw n.error("expected 'from', 'to' and one of 'step' or 'times'");
        }
        long from = (Long) p.parse(e.get("from").text(), e.get("from").where());
        long to = (Long) p.parse(e.get("to").text(), e.get("to").where());
        if (to < from) {
            throw e.get("to").error("expected at least 'from' (" + from + "), not " + to);
        }
        List<String> values = new ArrayList<>();
        if (e.containsKey("step")) {
            long step = e.get("step").integer(1, Long.MAX_VALUE);
            for (long v = from; v <= to && values.size() <= MAX_CONFIGURATIONS; v += step) {
                values.add(Long.toString(v));
            }
        } else {
            long times = e.get("times").integer(2, 1 << 20);
            if (from == 0) {
                throw e.get("from").error("a geometric range ('times') cannot start at 0");
            }
            for (long v = from; v <= to && values.size() <= MAX_CONFIGURATIONS; v = Math.multiplyExact(v, times)) {
                values.add(Long.toString(v));
            }
        }
        for (String v : values) {
            p.parse(v, n.where());
        }
        return values;
    }

    private static List<Constraint> constraints(YamlNode n) {
        List<Constraint> out = new ArrayList<>();
        for (YamlNode item : n.items()) {
            try {
                out.add(Constraint.parse(item.word(), item.where()));
            } catch (ConfigException e) {
                throw new ConfigException(e.getMessage());
            }
        }
        return out;
    }

    private static Outputs outputs(YamlNode n, List<Factor> factors) {
        List<String> metrics = new ArrayList<>();
        String sweep = "translationShare";
        if (n != null) {
            Map<String, YamlNode> e = n.entries(new LinkedHashSet<>(List.of("metrics", "sweep")));
            if (e.containsKey("metrics")) {
                for (YamlNode item : e.get("metrics").items()) {
                    metrics.add(metric(item));
                }
            }
            if (e.containsKey("sweep")) {
                sweep = metric(e.get("sweep"));
            }
        }
        if (!metrics.isEmpty() && !metrics.contains("cycles")) {
            metrics.add(0, "cycles");
        }
        if (!metrics.isEmpty() && !factors.isEmpty() && !metrics.contains(sweep)) {
            metrics.add(sweep);
        }
        return new Outputs(metrics, sweep);
    }

    private static Paper paper(YamlNode n, List<ModeKind> modes, ModeKind baseline) {
        Map<String, YamlNode> e = n.entries(new LinkedHashSet<>(List.of("source", "speedup", "note")));
        if (!e.containsKey("source") || !e.containsKey("speedup")) {
            throw n.error("expected 'source: ...' and 'speedup: {mode: ratio, ...}'");
        }
        Map<ModeKind, Double> speedup = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> s : e.get("speedup").entries(null).entrySet()) {
            ModeKind m;
            try {
                m = ModeKind.parse(s.getKey());
            } catch (IllegalArgumentException x) {
                throw s.getValue().error(x.getMessage());
            }
            if (!modes.contains(m) || m == baseline) {
                throw s.getValue().error("expected a mode of the experiment other than the baseline");
            }
            speedup.put(m, s.getValue().real(0.01, 100));
        }
        return new Paper(e.get("source").text(), speedup, e.containsKey("note") ? e.get("note").text() : "");
    }

    private static String defaultName(Path path) {
        String f = path.getFileName().toString();
        return f.replaceFirst("\\.ya?ml$", "");
    }

    /** {@code s} on one line: line breaks become spaces. */
    static String oneLine(String s) {
        return s == null ? "" : s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').trim();
    }
}
