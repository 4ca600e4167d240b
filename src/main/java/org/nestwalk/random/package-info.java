/**
 * Where the model's randomness comes from: named, seeded streams derived from (experiment seed, replication, name),
 * never from the wall clock.
 */
package org.nestwalk.random;
