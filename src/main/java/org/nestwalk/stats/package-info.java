/**
 * Output analysis of replicated simulation runs: Student-t confidence intervals of means, paired comparisons under
 * common random numbers, Welch's unpaired interval for contrast, and MSER-5 warm-up truncation.
 */
package org.nestwalk.stats;
