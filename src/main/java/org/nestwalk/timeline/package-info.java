/**
 * What happened when, in simulated time: the seam through which the entities report their events (vCPU bursts,
 * page walks, DRAM accesses, VM exits and handler work, verifications of speculative translations), a bounded
 * recording of them, and their rendering as CSV and as an SVG timeline with one lane per entity. A run that asks
 * for no timeline reports to {@link org.nestwalk.timeline.Timeline#NONE}, which records nothing.
 */
package org.nestwalk.timeline;
