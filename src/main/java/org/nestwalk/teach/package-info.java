/**
 * Teaching: the hypervisor's side of translation shown as it happens. A {@link org.nestwalk.teach.Scenario} is a
 * tiny program (a few references and system calls, in one or two processes); {@link
 * org.nestwalk.teach.ScenarioRun} runs it on the simulated machine a run uses and records, through the
 * {@link org.nestwalk.timeline.Timeline} seam, every walk, every VM exit with its handler's steps and cycles, and
 * every verification; {@link org.nestwalk.teach.ScenarioReport} prints the sequence.
 */
package org.nestwalk.teach;
