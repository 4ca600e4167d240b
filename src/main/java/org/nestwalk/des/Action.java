package org.nestwalk.des;

/** Something an entity does at a scheduled time. Entities pre-allocate the actions they schedule repeatedly. */
@FunctionalInterface
public interface Action {
    void run();
}
