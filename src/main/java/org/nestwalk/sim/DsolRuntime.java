package org.nestwalk.sim;

import ch.qos.logback.classic.Level;
import java.util.concurrent.atomic.AtomicLong;
import javax.naming.NamingException;
import nl.tudelft.simulation.dsol.logger.Cat;
import nl.tudelft.simulation.naming.context.event.InitialEventContext;
import org.djutils.logger.CategoryLogger;

/**
 * The JVM-wide preconditions for running DSOL 4.3.2 simulators side by side ({@code reference/dsol.md}): DSOL's own
 * log category switched off once, the naming root created once, and simulators constructed one at a time (each
 * constructor rewires a JVM-global logger category; concurrent construction threw and hung the JVM).
 */
final class DsolRuntime {
    /** Guards simulator construction, the one step of DSOL 4.3.x that is not thread-safe. */
    private static final Object CONSTRUCTION = new Object();

    /**
     * DSOL requires replication ids to be unique among live replications in the JVM; this counter only names them
     * and has no influence on any result.
     */
    private static final AtomicLong REPLICATION_IDS = new AtomicLong();

    static {
        System.setProperty("java.awt.headless", "true");
        CategoryLogger.setLogLevel(Cat.DSOL, Level.OFF);
        try {
            InitialEventContext.instantiate("root");
        } catch (NamingException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DsolRuntime() {
    }

    static FastDevsSimulator newSimulator(String id, CycleEventList.Dispatcher dispatcher) {
        synchronized (CONSTRUCTION) {
            return new FastDevsSimulator(id, dispatcher);
        }
    }

    /**
     * Ends {@code simulator}'s replication. DSOL logs a warning whenever a replication ends before its run length (ours
     * always do), and each simulator's constructor briefly re-creates DSOL's log category at its default level with a
     * time formatter that reads the new simulator's still-null clock: a warning logged in that window threw a
     * NullPointerException inside the ending event (10 of 10,000 rows of experiments/limits/ten-thousand-rows.yaml
     * failed so). Ending under the construction lock closes the window.
     */
    static void endReplication(FastDevsSimulator simulator) {
        synchronized (CONSTRUCTION) {
            simulator.endReplication();
        }
    }

    static String uniqueReplicationId(String label) {
        // DSOL forbids '/' in context names.
        return label.replace('/', '_') + "#" + REPLICATION_IDS.incrementAndGet();
    }
}
