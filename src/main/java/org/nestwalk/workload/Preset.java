package org.nestwalk.workload;

import java.util.Map;

/**
 * A named workload: a description and the {@code workload.*} settings it stands for.
 *
 * @param name        what users type
 * @param description what it models
 * @param settings    parameter key to value
 */
public record Preset(String name, String description, Map<String, String> settings) {
    public Preset {
        settings = Map.copyOf(settings);
    }
}
