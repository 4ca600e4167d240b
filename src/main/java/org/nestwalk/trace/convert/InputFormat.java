package org.nestwalk.trace.convert;

import java.nio.file.Path;
import java.util.Locale;
import org.nestwalk.config.ConfigException;

/** A trace format that nestwalk can convert from: the tool that recorded the program. */
public enum InputFormat {
    /** Valgrind's lackey tool run with {@code --trace-mem=yes}: one text line per instruction and data access. */
    LACKEY("lackey"),
    /** ChampSim's {@code input_instr} records: 64 bytes per instruction with up to 4 loads and 2 stores. */
    CHAMPSIM("champsim");

    private final String cliName;

    InputFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name users give on the command line. */
    public String cliName() {
        return cliName;
    }

    /** The format a user named, e.g. {@code lackey}. */
    public static InputFormat parse(String name) {
        for (InputFormat f : values()) {
            if (f.cliName.equalsIgnoreCase(name.strip())) {
                return f;
            }
        }
        throw new ConfigException("unknown input format '" + name + "' for --from (expected lackey or champsim)");
    }

    /**
     * The format a file's name suggests: ChampSim traces are published as {@code NAME.champsimtrace.xz}, and lackey
     * output is whatever {@code --log-file} said, so only a name that says lackey, or a text log, is taken as one.
     */
    public static InputFormat guess(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String bare = n.replaceFirst("\\.(xz|gz)$", "");
        if (bare.contains("champsim")) {
            return CHAMPSIM;
        }
        if (bare.contains("lackey") || bare.endsWith(".log") || bare.endsWith(".txt")) {
            return LACKEY;
        }
        throw new ConfigException(file + ": cannot tell the input format from the file name (give --from lackey or"
                + " --from champsim)");
    }
}
