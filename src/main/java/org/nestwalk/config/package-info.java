/**
 * What a run is made of: the documented parameters and their defaults ({@link org.nestwalk.config.Parameters}),
 * the values a user set and where ({@link org.nestwalk.config.Settings}), and the machine they describe
 * ({@link org.nestwalk.config.MachineConfig}). Bad input becomes a {@link org.nestwalk.config.ConfigException} that
 * names its source and key.
 */
package org.nestwalk.config;
