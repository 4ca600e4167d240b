package org.nestwalk.memory;

/** The order in which a DRAM bank serves the requests queued for it. */
public enum DramScheduling {
    /** First come, first served. */
    FCFS,
    /** First-ready FCFS (Rixner et al., ISCA 2000): the oldest request to the open row first, else the oldest. */
    FRFCFS
}
