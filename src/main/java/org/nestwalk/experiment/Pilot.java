package org.nestwalk.experiment;

/**
 * The warm-up MSER-5 chose for a configuration from its pilot run.
 *
 * @param configuration     the configuration's id
 * @param pilotReferences   references of the pilot run
 * @param observations      observations of the pilot's series (cycles per reference, one per sample)
 * @param warmupReferences  the warm-up chosen, in references
 * @param atLimit           whether MSER-5 hit its half-way limit: the series never settled and the pilot was too
 *                          short for a trustworthy choice
 */
public record Pilot(String configuration, long pilotReferences, int observations, long warmupReferences,
                    boolean atLimit) {
}
