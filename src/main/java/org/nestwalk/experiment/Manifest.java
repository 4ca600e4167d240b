package org.nestwalk.experiment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.config.ConfigException;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import org.nestwalk.experiment.Experiment.Factor;
import org.nestwalk.experiment.Experiment.Setting;
import org.nestwalk.experiment.Experiment.WorkloadChoice;
import org.nestwalk.walk.ModeKind;

/**
 * An experiment expanded into its configurations: for every workload, every combination of factor values that meets
 * the constraints, and every mode. Settings are applied in a fixed order, later ones winning: defaults, the workload's
 * preset, the {@code machine} block, the workload's own settings (a trace's file, then its {@code set}), the
 * factors.
 *
 * @param experiment     the experiment
 * @param configurations its configurations: workloads outermost, then factor combinations (first factor slowest),
 *                       modes innermost
 */
public record Manifest(Experiment experiment, List<Configuration> configurations) {

    public Manifest {
        configurations = List.copyOf(configurations);
    }

    /** One run of the manifest: a configuration's replication. */
    public record Row(Configuration configuration, int replication) {
        public String label() {
            return configuration.id() + "/r" + replication;
        }

        /** What the row runs, for a person: "nested on gups (tlb.l2.entries=512), replication 3 (id/r3)". */
        public String describe() {
            String f = configuration.factorText();
            return configuration.mode().label() + " on " + configuration.workload() + (f.isEmpty() ? "" : " (" + f
                    + ")") + ", replication " + replication + " (" + label() + ")";
        }
    }

    public static Manifest expand(Experiment e) {
        List<Configuration> out = new ArrayList<>();
        for (WorkloadChoice w : e.workloads()) {
            Settings base = w.preset() == null ? Settings.defaults()
                    : WorkloadConfig.withPreset(Settings.defaults(), w.preset());
            base = apply(base, e.machine());
            base = apply(base, w.settings());
            for (Map<String, String> combination : grid(e.factors())) {
                Settings s = base;
                for (Factor f : e.factors()) {
                    s = s.with(f.key(), combination.get(f.key()), f.source());
                }
                if (!meetsConstraints(e, s)) {
                    continue;
                }
                for (ModeKind m : e.modes()) {
                    Configuration c = new Configuration(id(e, m, w.name(), s), m, w.name(), combination, s);
                    // Builds the machine and workload descriptions once, so an impossible combination is reported
                    // before anything runs.
                    c.spec(e.seed(), 0, e.references(), 0);
                    out.add(c);
                }
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException(e.file() + ": the constraints leave no configuration to run");
        }
        return new Manifest(e, out);
    }

    /** Every row for replications {@code 0..n-1} of every configuration. */
    public List<Row> rows(int replications) {
        List<Row> rows = new ArrayList<>();
        for (Configuration c : configurations) {
            for (int r = 0; r < replications; r++) {
                rows.add(new Row(c, r));
            }
        }
        return rows;
    }

    /** The baseline configuration that {@code c} is compared with: same workload and factors, baseline mode. */
    public Configuration baselineOf(Configuration c) {
        for (Configuration b : configurations) {
            if (b.mode() == experiment.baseline() && b.workload().equals(c.workload())
                    && b.factors().equals(c.factors())) {
                return b;
            }
        }
        return null;
    }

    public Configuration byId(String id) {
        for (Configuration c : configurations) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }

    private static Settings apply(Settings s, Map<String, Setting> settings) {
        for (var e : settings.entrySet()) {
            s = s.with(e.getKey(), e.getValue().value(), e.getValue().source());
        }
        return s;
    }

    private static boolean meetsConstraints(Experiment e, Settings s) {
        for (Constraint c : e.constraints()) {
            if (!c.holds(s)) {
                return false;
            }
        }
        return true;
    }

    /** Every combination of factor values, the first factor varying slowest. */
    static List<Map<String, String>> grid(List<Factor> factors) {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (Factor f : factors) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combinations) {
                for (String v : f.values()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(f.key(), v);
                    next.add(m);
                }
            }
            combinations = next;
        }
        return combinations;
    }

    /**
     * A hash of what sets a configuration apart: mode, workload, run length, warm-up rule, seed, and every parameter
     * whose value is not its default. Parameters at their defaults are left out so that a parameter added in a later
     * version (at a default that keeps the old behaviour) does not orphan existing results; a changed default is
     * caught instead by comparing a stored row's parameters with the configuration's ({@link Configuration#accepts}).
     * The replication is not part of it; rows add it.
     */
    private static String id(Experiment e, ModeKind m, String workload, Settings s) {
        StringBuilder key = new StringBuilder();
        key.append("mode=").append(m.label()).append('\n').append("workload=").append(workload).append('\n')
                .append("references=").append(e.references()).append('\n').append("warmup=")
                .append(e.warmup().rule()).append('\n').append("seed=").append(e.seed()).append('\n');
        if (e.sample() != null) {
            // Sampled rows are estimates, not measurements of the same kind: never mixed with detailed ones.
            key.append("sample=").append(e.sample()).append('\n');
        }
        Map<String, String> defaults = Settings.defaults().asText();
        s.asText().forEach((k, v) -> {
            if (!v.equals(defaults.get(k))) {
                key.append(k).append('=').append(v).append('\n');
            }
        });
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return m.label() + "-" + workload.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                    + HexFormat.of().formatHex(d, 0, 5);
        } catch (NoSuchAlgorithmException x) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", x);
        }
    }
}
