package org.nestwalk.experiment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nestwalk.config.ConfigException;

/**
 * Reads the small text files a user writes (experiment files, machine files) defensively: a path that is not a
 * regular file (a directory, or a FIFO that would block the read for ever) and a file larger than the bound are
 * refused before any byte is read, and text that is not UTF-8 is named by line and byte, not by the decoder's
 * "Input length = 1".
 */
final class TextFiles {
    private TextFiles() {
    }

    /**
     * The file's text, without a leading byte-order mark.
     *
     * @param what     what the file is, for messages ("experiment file")
     * @param maxBytes the largest file accepted
     * @throws ConfigException naming the file for every problem but an I/O error
     */
    static String read(Path path, String what, int maxBytes) throws IOException {
        if (!Files.exists(path)) {
            throw new ConfigException(path + ": no such " + what);
        }
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(path + ": not a regular file (" + (Files.isDirectory(path) ? "a directory"
                    : "a FIFO, socket or device") + "); expected a YAML " + what);
        }
        long size = Files.size(path);
        if (size > maxBytes) {
            throw new ConfigException(path + ": " + size + " bytes; " + what + "s may be at most "
                    + maxBytes / 1024 + " KiB");
        }
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length > maxBytes) {
            throw new ConfigException(path + ": more than " + maxBytes / 1024 + " KiB; " + what + "s may be at "
                    + "most that");
        }
        String text = decode(bytes, path);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Strict UTF-8: the first malformed byte is reported with its line and offset. */
    private static String decode(byte[] bytes, Path path) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) {
            r = d.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new ConfigException(String.format("%s line %d: byte %d (0x%02X) is not UTF-8 text; save the file "
                    + "as UTF-8", path, line, at, bytes[at] & 0xFF));
        }
        out.flip();
        return out.toString();
    }
}
