package org.nestwalk.config;

/**
 * Bad input: an unknown key, a value of the wrong type, or an impossible combination. The message is one line that
 * names where the input came from, the key and what was expected, ready to show to the user as it is.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
