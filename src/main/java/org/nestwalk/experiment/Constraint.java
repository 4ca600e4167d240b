package org.nestwalk.experiment;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nestwalk.config.ConfigException;
import org.nestwalk.config.Parameter;
import org.nestwalk.config.Parameters;
import org.nestwalk.config.Settings;

/**
 * A condition a configuration of the grid must meet to be run, such as {@code ntlb.entries <= pwc.entries}: each
 * side is a numeric parameter or a number.
 *
 * @param text   the condition as written
 * @param left   left operand: a parameter key or a number
 * @param op     one of {@code < <= > >= == !=}
 * @param right  right operand
 * @param source where it was written
 */
public record Constraint(String text, String left, String op, String right, String source) {
    private static final Pattern FORM = Pattern.compile("\\s*(\\S+)\\s*(<=|>=|==|!=|<|>)\\s*(\\S+)\\s*");

    /** Parses and checks a condition; errors name {@code source}. */
    public static Constraint parse(String text, String source) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new ConfigException(source + ": constraint '" + text
                    + "': expected 'a OP b' with OP one of < <= > >= == != and a, b parameter keys or numbers");
        }
        Constraint c = new Constraint(text.trim(), m.group(1), m.group(2), m.group(3), source);
        c.checkOperand(c.left);
        c.checkOperand(c.right);
        return c;
    }

    /** Whether {@code s} meets the condition. */
    public boolean holds(Settings s) {
        double a = value(left, s);
        double b = value(right, s);
        return switch (op) {
            case "<" -> a < b;
            case "<=" -> a <= b;
            case ">" -> a > b;
            case ">=" -> a >= b;
            case "==" -> a == b;
            default -> a != b;
        };
    }

    private void checkOperand(String operand) {
        if (isNumber(operand)) {
            return;
        }
        Parameter p = Parameters.get(operand, source + ": constraint '" + text + "'");
        if (p.kind() == Parameter.Kind.CHOICE || p.kind() == Parameter.Kind.TEXT) {
            throw new ConfigException(source + ": constraint '" + text + "': " + operand
                    + " is not numeric; constraints compare numbers");
        }
    }

    private static double value(String operand, Settings s) {
        if (isNumber(operand)) {
            return Double.parseDouble(operand);
        }
        return switch (Parameters.get(operand, "constraint").kind()) {
            case INTEGER, SIZE -> s.integer(operand);
            case REAL -> s.real(operand);
            case FLAG -> s.flag(operand) ? 1 : 0;
            case CHOICE, TEXT -> throw new IllegalStateException("checked when parsed");
        };
    }

    private static boolean isNumber(String operand) {
        try {
            Double.parseDouble(operand);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
