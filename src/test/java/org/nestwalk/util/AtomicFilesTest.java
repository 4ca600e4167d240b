package org.nestwalk.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file written atomically is either its old content or its new, whatever happens while it is written. */
class AtomicFilesTest {
    @Test
    void aDiskThatFillsUpPartWayLeavesTheOldContentAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("r0.json");
        AtomicFiles.write(target, "{\"old\": true}");
        byte[] next = new byte[10_000];
        Arrays.fill(next, (byte) 'x');
        // Half the bytes reach the temporary file, then the device is full, as write(2) says with ENOSPC.
        AtomicFiles.Output full = (tmp, bytes) -> {
            Files.write(tmp, Arrays.copyOf(bytes, bytes.length / 2));
            throw new IOException("No space left on device");
        };
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> AtomicFiles.write(target, next, full));
        assertEquals("cannot write " + target + ": No space left on device", e.getMessage());
        assertEquals("{\"old\": true}", Files.readString(target));
        assertEquals(List.of(target), listing(dir), "the half-written temporary file is gone");
    }

    @Test
    void aNewFileIsAbsentUntilItIsWhole(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sub").resolve("new.json");
        AtomicFiles.Output full = (tmp, bytes) -> {
            Files.write(tmp, Arrays.copyOf(bytes, 1));
            throw new IOException("No space left on device");
        };
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, new byte[100], full));
        assertEquals(List.of(), listing(target.getParent()));
        AtomicFiles.write(target, "whole");
        assertEquals("whole", Files.readString(target));
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
