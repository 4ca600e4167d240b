package org.nestwalk.sim;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The resource DSOL's naming root reads, as the class path names it. */
    private static final String JNDI = "resources/jndi.properties";

    static {
        System.setProperty("java.awt.headless", "true");
        CategoryLogger.setLogLevel(Cat.DSOL, Level.OFF);
        try {
            createNamingRoot();
        } catch (NamingException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Creates DSOL's naming root, a JVM-wide singleton that every replication registers in. It reads
     * {@code jndi.properties} through djutils' ResourceResolver, which decodes the {@code jar:} URL of a resource and
     * parses the decoded text as a URI again: for a jar whose path holds a space (or '%', '#', ...) that fails, and
     * with it every simulation ("my sims/nestwalk.jar"). While the root is made, the thread's context class loader
     * therefore serves the same file's bytes from a temporary copy, as a {@code file:} URL, which the resolver
     * converts correctly. The properties only name the context factory DSOL uses by default, so the root is the
     * same either way. If no copy can be written, the resolver is left to try as it would.
     */
    private static void createNamingRoot() throws NamingException {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        ClassLoader parent = original != null ? original : DsolRuntime.class.getClassLoader();
        Path copy = copyOfJndiProperties(parent);
        if (copy == null) {
            InitialEventContext.instantiate("root");
            return;
        }
        try {
            URL url = copy.toUri().toURL();
            thread.setContextClassLoader(new ClassLoader(parent) {
                @Override
                public URL getResource(String name) {
                    return name.equals("jndi.properties") || name.equals(JNDI) ? url : super.getResource(name);
                }
            });
            InitialEventContext.instantiate("root");
        } catch (MalformedURLException e) {
            InitialEventContext.instantiate("root");
        } finally {
            thread.setContextClassLoader(original);
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                copy.toFile().deleteOnExit();
            }
        }
    }

    /** A temporary copy of DSOL's {@code jndi.properties} (empty if there is none), or null if none can be made. */
    private static Path copyOfJndiProperties(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(JNDI)) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            Path f = Files.createTempFile("nestwalk-jndi", ".properties");
            Files.write(f, bytes);
            return f;
        } catch (IOException | SecurityException e) {
            return null;
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
