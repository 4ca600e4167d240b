/**
 * Presenting results: the run comparison table, explained walks as text, grid and JSON. Reporting reads result
 * values; it never reaches into the model.
 */
package org.nestwalk.report;
