package org.nestwalk.cli;

import java.io.PrintWriter;
import org.nestwalk.config.Parameter;
import org.nestwalk.config.MachinePresets;
import org.nestwalk.config.Parameters;
import org.nestwalk.report.Metric;
import org.nestwalk.report.Metrics;
import org.nestwalk.report.TextTable;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.workload.Preset;
import org.nestwalk.workload.Presets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nestwalk params}: every parameter with its default and meaning, the workload presets and the modes. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Lists every parameter (what --set changes) with its default, the accepted values and what it "
                + "models; then the workload presets, the machines and the translation modes.")
final class ParamsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        TextTable t = new TextTable("llll").row("key", "default", "accepted", "meaning");
        for (Parameter p : Parameters.all()) {
            // The default as the accepted values spell it (a choice "4KiB" is the word "4kib").
            Object parsed = p.parse(p.defaultValue(), "default");
            String def = p.kind() == Parameter.Kind.CHOICE ? parsed.toString() : p.defaultValue();
            t.row(p.key(), def, p.accepted(), p.description());
        }
        out.print(t);
        out.println();
        out.println("Workload presets (--workload NAME):");
        TextTable presets = new TextTable("ll");
        for (Preset p : Presets.all()) {
            presets.row("  " + p.name(), p.description());
        }
        out.print(presets);
        out.println();
        out.println("Machines (--machine NAME; in an experiment file, machine: {preset: NAME}), applied before the"
                + " workload's preset and --set; without one, the defaults above:");
        for (MachinePresets.Preset m : MachinePresets.all()) {
            out.printf("  %s: %s%n", m.name(), m.description());
            for (MachinePresets.Value v : m.values()) {
                out.printf("    %s = %s: %s%n", v.key(), v.value(), v.source());
            }
        }
        out.println();
        out.println("Translation modes (--mode NAME):");
        for (ModeKind k : ModeKind.values()) {
            out.printf("  %-13s %s%n", k.label(), k.description());
        }
        out.println();
        out.println("Metrics of a run (the columns of an experiment's runs.csv; 'outputs' and 'until' name them):");
        for (Metric m : Metrics.all()) {
            out.printf("  %-28s %s%n", m.name(), m.description());
        }
    }
}
