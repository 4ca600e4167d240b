/**
 * Set-associative storage with LRU replacement, the organisation shared by TLBs, walk caches and data caches.
 */
package org.nestwalk.assoc;
