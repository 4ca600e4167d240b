package org.nestwalk.sim;

import org.nestwalk.config.ConfigException;
import org.nestwalk.config.MachineConfig;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.workload.WorkloadSpec;

/**
 * Everything that determines one run: the translation mode, every parameter, the workload, the seed and replication
 * number (which fix every random stream), and how many references to simulate and to discard as warm-up. Two runs
 * with equal specs give bit-identical results.
 *
 * @param mode             translation mode
 * @param settings         every parameter's value
 * @param machine          the machine {@code settings} describe
 * @param workload         the workload {@code settings} describe
 * @param seed             experiment seed
 * @param replication      replication number (0-based)
 * @param references       references to simulate in all, warm-up included
 * @param warmupReferences references whose effects are excluded from the results
 */
public record RunSpec(ModeKind mode, Settings settings, MachineConfig machine, WorkloadSpec workload, long seed,
                      int replication, long references, long warmupReferences) {

    public RunSpec {
        if (references <= 0) {
            throw new ConfigException("the number of references must be positive: " + references);
        }
        if (warmupReferences < 0 || warmupReferences >= references) {
            throw new ConfigException("warm-up must be at least 0 and less than the " + references
                    + " references of the run: " + warmupReferences);
        }
        // Refused here, before anything runs, rather than when the machine is built.
        VmWorkloads.entries(settings);
    }

    /** A spec built from settings (with a workload preset already applied, or not). */
    public static RunSpec of(ModeKind mode, Settings settings, String workloadName, long seed, int replication,
                             long references, long warmupReferences) {
        return new RunSpec(mode, settings, MachineConfig.from(settings), WorkloadConfig.from(settings, workloadName),
                seed, replication, references, warmupReferences);
    }

    /** Short name for messages: mode/workload/replication. */
    public String label() {
        return mode.label() + "/" + workload.name() + "/r" + replication;
    }
}
