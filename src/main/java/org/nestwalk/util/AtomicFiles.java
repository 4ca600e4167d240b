package org.nestwalk.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader (or a run that was killed and started again) sees either the old content or the
 * new, never a part: the bytes go to a temporary file beside the target, are forced to disk, and the temporary file
 * is renamed over the target in one step.
 */
public final class AtomicFiles {
    /**
     * Puts a file's whole content in place, or throws an {@link UncheckedIOException} naming the file: the seam through
     * which results reach the disk, so that a test can make the disk fail.
     */
    @FunctionalInterface
    public interface Writer {
        void write(Path target, byte[] bytes);
    }

    /** How the bytes reach the temporary file: the real disk, or in tests one that fills up part-way. */
    @FunctionalInterface
    interface Output {
        /** Writes {@code bytes} to the new file {@code tmp} and forces them to the device. */
        void writeAndForce(Path tmp, byte[] bytes) throws IOException;
    }

    private static final Output DISK = (tmp, bytes) -> {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    };

    private AtomicFiles() {
    }

    public static void write(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] bytes) {
        write(target, bytes, DISK);
    }

    static void write(Path target, byte[] bytes, Output output) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: its files are private to their owner, and results are meant to be shared.
            Path tmp = dir.resolve("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                output.writeAndForce(tmp, bytes);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + reason(e), e);
        }
    }

    /**
     * Why an operation on a file failed, in words: a {@link FileSystemException}'s message is often only the path
     * ("/proc/self/x"), which says nothing of the cause.
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            String where = f.getFile() == null ? "" : f.getFile() + ": ";
            if (f.getReason() != null && !f.getReason().isBlank()) {
                return where + f.getReason();
            }
            String why;
            if (e instanceof AccessDeniedException) {
                why = "permission denied";
            } else if (e instanceof NoSuchFileException) {
                why = "no such file or directory, and it cannot be created there";
            } else if (e instanceof FileAlreadyExistsException) {
                why = "a file of that name is in the way";
            } else if (e instanceof NotDirectoryException) {
                why = "not a directory";
            } else {
                why = "the file system refused (" + e.getClass().getSimpleName() + ")";
            }
            return where + why;
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
