/**
 * The memory hierarchy below the core: data caches that hold page-table entries and data alike, and the memory
 * controller with its DRAM banks, row buffers and queues.
 */
package org.nestwalk.memory;
