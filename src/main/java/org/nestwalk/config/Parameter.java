package org.nestwalk.config;

import java.util.List;
import java.util.Locale;

/**
 * One tunable of a run: its dotted key, its kind and its documented default. The set of all of them
 * ({@link Parameters}) is the one place where defaults live.
 *
 * @param key          dotted name, e.g. {@code tlb.l2.entries}
 * @param kind         how the value is written and checked
 * @param defaultValue the default, written as a user would write it
 * @param min          smallest allowed value (numeric kinds)
 * @param max          largest allowed value (numeric kinds)
 * @param powerOfTwo   whether the value must be a power of two (0 allowed when {@code min} is 0)
 * @param choices      allowed words (choice kind)
 * @param description  what it models, in the domain's words; ends with its source when the value is assumed
 */
public record Parameter(String key, Kind kind, String defaultValue, double min, double max, boolean powerOfTwo,
                        List<String> choices, String description) {

    /** How a parameter's value is written. */
    public enum Kind {
        /** A whole number. */
        INTEGER,
        /** A number of bytes: a whole number with an optional binary suffix (KiB, MiB, GiB, TiB or K, M, G, T). */
        SIZE,
        /** A real number. */
        REAL,
        /** One word out of a fixed list. */
        CHOICE,
        /** true or false. */
        FLAG,
        /** Free text, such as a file's path. */
        TEXT
    }

    public Parameter {
        choices = List.copyOf(choices);
    }

    static Parameter integer(String key, long def, long min, long max, String description) {
        return new Parameter(key, Kind.INTEGER, Long.toString(def), min, max, false, List.of(), description);
    }

    static Parameter powerOfTwo(String key, long def, long min, long max, String description) {
        return new Parameter(key, Kind.INTEGER, Long.toString(def), min, max, true, List.of(), description);
    }

    static Parameter size(String key, String def, long min, long max, boolean powerOfTwo, String description) {
        return new Parameter(key, Kind.SIZE, def, min, max, powerOfTwo, List.of(), description);
    }

    static Parameter real(String key, double def, double min, double max, String description) {
        return new Parameter(key, Kind.REAL, Double.toString(def), min, max, false, List.of(), description);
    }

    static Parameter choice(String key, String def, List<String> choices, String description) {
        return new Parameter(key, Kind.CHOICE, def, 0, 0, false, choices, description);
    }

    static Parameter text(String key, String def, String description) {
        return new Parameter(key, Kind.TEXT, def, 0, 0, false, List.of(), description);
    }

    static Parameter flag(String key, boolean def, String description) {
        return new Parameter(key, Kind.FLAG, Boolean.toString(def), 0, 0, false, List.of(), description);
    }

    /**
     * Parses and checks a value written by the user.
     *
     * @param raw    the text
     * @param source where it came from, for the error message (e.g. "command line", "x.yaml line 7")
     * @return a Long (integer, size), Double (real), String (choice) or Boolean (flag)
     */
    public Object parse(String raw, String source) {
        String text = raw == null ? "" : raw.trim();
        switch (kind) {
            case INTEGER -> {
                long v = parseLong(text, source);
                checkRange(v, raw, source);
                return v;
            }
            case SIZE -> {
                long v = parseSize(text, source);
                checkRange(v, raw, source);
                return v;
            }
            case REAL -> {
                double v;
                try {
                    v = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw error(source, raw, "expected a number");
                }
                if (!Double.isFinite(v) || v < min || v > max) {
                    throw error(source, raw, "expected a number from " + fmt(min) + " to " + fmt(max));
                }
                return v;
            }
            case CHOICE -> {
                String word = text.toLowerCase(Locale.ROOT);
                if (!choices.contains(word)) {
                    throw error(source, raw, "expected one of " + String.join(", ", choices));
                }
                return word;
            }
            case FLAG -> {
                String word = text.toLowerCase(Locale.ROOT);
                if (word.equals("true") || word.equals("yes") || word.equals("on")) {
                    return Boolean.TRUE;
                }
                if (word.equals("false") || word.equals("no") || word.equals("off")) {
                    return Boolean.FALSE;
                }
                throw error(source, raw, "expected true or false");
            }
            case TEXT -> {
                if (text.isEmpty()) {
                    throw error(source, raw, "expected a value");
                }
                return text;
            }
            default -> throw new AssertionError(kind);
        }
    }

    /** A short description of the accepted values, for listings. */
    public String accepted() {
        return switch (kind) {
            case INTEGER -> (powerOfTwo ? "a power of two, " : "") + fmt(min) + ".." + fmt(max);
            case SIZE -> (powerOfTwo ? "a power of two, " : "") + bytes((long) min) + ".." + bytes((long) max);
            case REAL -> fmt(min) + ".." + fmt(max);
            case CHOICE -> String.join(" | ", choices);
            case FLAG -> "true | false";
            case TEXT -> "text";
        };
    }

    private long parseLong(String text, String source) {
        try {
            String t = text.replace("_", "");
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw error(source, text, "expected a whole number");
        }
    }

    private long parseSize(String text, String source) {
        String t = text.replace("_", "").replace(" ", "");
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw error(source, text, "expected a size such as 4096, 64KiB, 2MiB or 4GiB");
        }
        long number;
        try {
            number = Long.parseLong(t.substring(0, split));
        } catch (NumberFormatException e) {
            throw error(source, text, "size is too large");
        }
        String unit = t.substring(split).toLowerCase(Locale.ROOT);
        int shift = switch (unit) {
            case "", "b" -> 0;
            case "k", "kb", "kib" -> 10;
            case "m", "mb", "mib" -> 20;
            case "g", "gb", "gib" -> 30;
            case "t", "tb", "tib" -> 40;
            default -> throw error(source, text, "unknown size unit '" + unit + "' (use KiB, MiB, GiB or TiB)");
        };
        if (number != 0 && Long.numberOfLeadingZeros(number) <= shift) {
            throw error(source, text, "size is too large");
        }
        return number << shift;
    }

    private void checkRange(long v, String raw, String source) {
        if (v < min || v > max) {
            throw error(source, raw, "expected " + accepted());
        }
        if (powerOfTwo && v != 0 && Long.bitCount(v) != 1) {
            throw error(source, raw, "expected a power of two");
        }
        if (powerOfTwo && v == 0 && min > 0) {
            throw error(source, raw, "expected a power of two");
        }
    }

    private ConfigException error(String source, String raw, String expected) {
        return new ConfigException(source + ": " + key + " = '" + raw + "': " + expected);
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e18) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** A byte count in the largest binary unit that divides it: 65536 -> 64KiB. */
    public static String bytes(long v) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            if (v != 0 && v % (1L << shifts[i]) == 0) {
                return (v >> shifts[i]) + units[i];
            }
        }
        return Long.toString(v);
    }
}
