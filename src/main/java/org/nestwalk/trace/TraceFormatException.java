package org.nestwalk.trace;

/** A trace that cannot be read: its message names the file and the byte offset of the problem. */
public final class TraceFormatException extends RuntimeException {
    public TraceFormatException(String message) {
        super(message);
    }

    public TraceFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
