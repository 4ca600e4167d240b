/**
 * What the guest process does: streams of data references delivered in primitive batches, from synthetic
 * generators (uniform random, sequential stream, Zipf hot set, pointer chase) and named presets.
 */
package org.nestwalk.workload;
