package org.nestwalk.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of every {@link Parameters parameter} for one run: the defaults, with whatever the user changed and
 * where each change came from. Values are parsed and checked when they are set, so an error names its source.
 * Immutable; {@link #with} returns a changed copy.
 */
public final class Settings {
    private final Map<String, Object> values;
    private final Map<String, String> sources;

    private Settings(Map<String, Object> values, Map<String, String> sources) {
        this.values = values;
        this.sources = sources;
    }

    /** Every parameter at its default. */
    public static Settings defaults() {
        Map<String, Object> v = new LinkedHashMap<>();
        for (Parameter p : Parameters.all()) {
            v.put(p.key(), p.parse(p.defaultValue(), "default"));
        }
        return new Settings(Collections.unmodifiableMap(v), Map.of());
    }

    /**
     * A copy with {@code key} set to the value written as {@code raw}.
     *
     * @param source where the value came from, named in any error ("command line", "x.yaml line 12")
     */
    public Settings with(String key, String raw, String source) {
        Parameter p = Parameters.get(key, source);
        Object parsed = p.parse(raw, source);
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.put(key, parsed);
        Map<String, String> s = new LinkedHashMap<>(sources);
        s.put(key, source);
        return new Settings(Collections.unmodifiableMap(v), Collections.unmodifiableMap(s));
    }

    /** A copy with every entry of {@code raw} applied in order. */
    public Settings withAll(Map<String, String> raw, String source) {
        Settings s = this;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            s = s.with(e.getKey(), e.getValue(), source);
        }
        return s;
    }

    /** Parses {@code key=value}, as written on a command line, and applies it. */
    public Settings withAssignment(String assignment, String source) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(source + ": '" + assignment + "' is not of the form key=value");
        }
        return with(assignment.substring(0, eq).trim(), assignment.substring(eq + 1).trim(), source);
    }

    public long integer(String key) {
        return (Long) value(key);
    }

    /** An integer parameter that must fit in an int (all of them do, by their declared maxima). */
    public int intValue(String key) {
        return Math.toIntExact(integer(key));
    }

    public long size(String key) {
        return integer(key);
    }

    public double real(String key) {
        return (Double) value(key);
    }

    public String choice(String key) {
        return (String) value(key);
    }

    public boolean flag(String key) {
        return (Boolean) value(key);
    }

    /** Where the value of {@code key} came from: "default" unless the user set it. */
    public String sourceOf(String key) {
        return sources.getOrDefault(key, "default");
    }

    /** The value as text, sizes in binary units: what reports print. */
    public String text(String key) {
        Parameter p = Parameters.get(key, "internal");
        Object v = value(key);
        return p.kind() == Parameter.Kind.SIZE ? Parameter.bytes((Long) v) : String.valueOf(v);
    }

    /** Every parameter as text, in documentation order. */
    public Map<String, String> asText() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : values.keySet()) {
            m.put(k, text(k));
        }
        return m;
    }

    /** The keys the user changed, with their sources. */
    public Map<String, String> changed() {
        return sources;
    }

    /** An error about {@code key} for a problem that involves other keys too. */
    public ConfigException problem(String key, String message) {
        return new ConfigException(sourceOf(key) + ": " + key + " = '" + text(key) + "': " + message);
    }

    private Object value(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no such parameter: " + key);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
