package org.nestwalk.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nestwalk.config.ConfigException;
import org.nestwalk.util.Spelling;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A node of an experiment file that remembers where it was written, so that every complaint about it names the file,
 * the line and the key, as in {@code headline.yaml line 12: replications.min: expected a whole number, not 'ten'}.
 *
 * @param node the parsed YAML node
 * @param file the file's name as the user gave it
 * @param key  the dotted path of the node from the top of the file ("workloads[2].preset")
 */
record YamlNode(Node node, String file, String key) {

    int line() {
        return node.getStartMark().getLine() + 1;
    }

    /** Where this node is, for messages and for {@link org.nestwalk.config.Settings} sources. */
    String where() {
        return file + " line " + line();
    }

    ConfigException error(String message) {
        // Messages quote values from the file, which may span lines (a folded string where a word was expected).
        return new ConfigException(ExperimentFile.oneLine(where() + ": " + key + ": " + message));
    }

    boolean isScalar() {
        return node instanceof ScalarNode;
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    boolean isSequence() {
        return node instanceof SequenceNode;
    }

    /** The scalar's text; an error for a list or a mapping. */
    String text() {
        if (node instanceof ScalarNode s) {
            return s.getValue().trim();
        }
        throw error("expected a single value, not a " + shape());
    }

    /** A non-empty word. */
    String word() {
        String t = text();
        if (t.isEmpty()) {
            throw error("expected a value, found nothing");
        }
        return t;
    }

    long integer(long min, long max) {
        String t = text().replace("_", "").replace(",", "");
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw error("expected a whole number, not '" + text() + "'");
        }
        if (v < min || v > max) {
            throw error("expected a number from " + min + " to " + max + ", not " + v);
        }
        return v;
    }

    /** A real number in [min, max]; "1%" is read as 0.01. */
    double real(double min, double max) {
        String t = text();
        double v;
        try {
            v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
                    : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw error("expected a number, not '" + t + "'");
        }
        if (!(v >= min && v <= max)) {
            throw error("expected a number from " + min + " to " + max + ", not " + t);
        }
        return v;
    }

    /** The items of a list; a single scalar is read as a list of one. */
    List<YamlNode> items() {
        if (node instanceof SequenceNode s) {
            List<YamlNode> out = new ArrayList<>();
            for (int i = 0; i < s.getValue().size(); i++) {
                out.add(new YamlNode(s.getValue().get(i), file, key + "[" + i + "]"));
            }
            return out;
        }
        if (node instanceof ScalarNode) {
            return List.of(this);
        }
        throw error("expected a list, not a mapping");
    }

    /**
     * The entries of a mapping, checked against the keys it may have: an unknown key is an error with a spelling hint,
     * and so is a key written twice.
     *
     * @param allowed the keys this mapping may have, or null for any key (e.g. parameter settings, checked later)
     */
    Map<String, YamlNode> entries(Set<String> allowed) {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping of 'key: value' lines, not a " + shape());
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            YamlNode k = new YamlNode(t.getKeyNode(), file, key);
            String name = k.word();
            String path = key.isEmpty() ? name : key + "." + name;
            YamlNode keyAt = new YamlNode(t.getKeyNode(), file, path);
            if (allowed != null && !allowed.contains(name)) {
                throw keyAt.error("unknown key" + Spelling.hint(name, allowed) + "; expected one of "
                        + String.join(", ", allowed));
            }
            if (out.containsKey(name)) {
                throw keyAt.error("written twice (first on line " + out.get(name).line() + ")");
            }
            out.put(name, new YamlNode(t.getValueNode(), file, path));
        }
        return out;
    }

    private String shape() {
        return node instanceof MappingNode ? "mapping" : node instanceof SequenceNode ? "list" : "single value";
    }
}
