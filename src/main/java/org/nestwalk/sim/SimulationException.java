package org.nestwalk.sim;

/** A run that could not complete: an exception inside an event, the engine stopping, or a timeout. */
public final class SimulationException extends RuntimeException {
    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }

    public SimulationException(String message) {
        super(message);
    }
}
