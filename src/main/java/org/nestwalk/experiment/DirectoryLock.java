package org.nestwalk.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nestwalk.config.ConfigException;
import org.tinylog.Logger;

/**
 * Who may store rows in a results directory at a time, through an operating-system lock on {@code DIR/.lock}: a
 * {@code run} (or an array's emission) holds it exclusively, so that a second run on the same directory is refused at
 * once instead of computing every row a second time; the tasks of a job array share it, since each runs rows of its
 * own. The lock goes with the process (a killed run leaves none behind). On a file system without locks the
 * directory is used unlocked, as before.
 */
public final class DirectoryLock implements AutoCloseable {
    private static final String FILE = ".lock";
    /** The temporary files {@link org.nestwalk.util.AtomicFiles} writes beside their targets. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]+\\.tmp");

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the directory for this process alone, or refuses in one line naming the holder.
     *
     * @param what what this process does there, recorded for the message another process gets ("nestwalk run")
     */
    public static DirectoryLock exclusive(Path dir, String what) {
        DirectoryLock l = tryLock(dir, false);
        if (l == null) {
            throw new ConfigException(dir + ": another nestwalk process is storing rows there" + holder(dir)
                    + "; wait for it to end (the rows it stores are kept), or choose another --out");
        }
        if (l.lock != null) {
            l.describe(what);
        }
        return l;
    }

    /** Shares the directory with the other tasks of a job array; refuses while a run holds it exclusively. */
    public static DirectoryLock shared(Path dir) {
        DirectoryLock l = tryLock(dir, true);
        if (l == null) {
            throw new ConfigException(dir + ": a nestwalk run is storing rows there" + holder(dir)
                    + "; the task would compute the same rows again");
        }
        return l;
    }

    /** The exclusive lock if no other process holds the directory, or empty; never refuses. */
    public static java.util.Optional<DirectoryLock> tryExclusive(Path dir, String what) {
        DirectoryLock l = tryLock(dir, false);
        if (l != null && l.lock != null) {
            l.describe(what);
        }
        return java.util.Optional.ofNullable(l);
    }

    /** Whether the operating system holds the lock for this process (false where locks are not supported). */
    public boolean held() {
        return lock != null && lock.isValid();
    }

    /**
     * Deletes the temporary files that writes interrupted by a kill left in the directory (only while it is held
     * exclusively: a file being written by another process must not vanish under it).
     *
     * @return how many were deleted
     */
    public int removeLeftoverTemporaryFiles(Path dir) {
        if (!held() || lock.isShared()) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> s = Files.walk(dir, 3)) {
            for (Path p : s.filter(f -> TEMPORARY.matcher(f.getFileName().toString()).matches()
                    && Files.isRegularFile(f)).toList()) {
                Files.deleteIfExists(p);
                n++;
            }
        } catch (IOException | UncheckedIOException e) {
            Logger.debug(e, "cannot clean {}", dir);
        }
        return n;
    }

    @Override
    public void close() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // The lock goes with the channel or the process in any case.
        }
    }

    /** The lock, null if another process (or this one, elsewhere) holds it, or an unlocked stand-in. */
    private static DirectoryLock tryLock(Path dir, boolean shared) {
        FileChannel ch;
        try {
            Files.createDirectories(dir);
            ch = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": "
                    + org.nestwalk.util.AtomicFiles.reason(e), e);
        }
        try {
            FileLock l = ch.tryLock(0, Long.MAX_VALUE, shared);
            if (l == null) {
                ch.close();
                return null;
            }
            return new DirectoryLock(ch, l);
        } catch (OverlappingFileLockException e) {
            close(ch);
            return null;
        } catch (IOException e) {
            Logger.debug(e, "{}: the file system does not lock; the directory is used unlocked", dir);
            close(ch);
            return new DirectoryLock(null, null);
        }
    }

    private void describe(String what) {
        try {
            byte[] text = (what + ", process " + ProcessHandle.current().pid() + ", since "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text), 0);
        } catch (IOException e) {
            // Only for the message another process gets.
        }
    }

    /** " (nestwalk run, process 1234, since ...)" from the lock file, or "". */
    private static String holder(Path dir) {
        try {
            String s = Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8).strip();
            return s.isEmpty() || s.contains("\n") || s.length() > 200 ? "" : " (" + s + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Nothing held.
        }
    }
}
