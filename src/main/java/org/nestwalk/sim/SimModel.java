package org.nestwalk.sim;

import org.nestwalk.des.Scheduler;

/**
 * A model that can be run on a {@link Scheduler}: it builds its entities and schedules its first events when asked,
 * and calls {@link Scheduler#finish()} when it is done.
 */
@FunctionalInterface
public interface SimModel {
    /** Builds the model's state and schedules its initial events. Called once, before the first event runs. */
    void construct(Scheduler scheduler);
}
