/**
 * Translation modes and the walks they produce. A {@link org.nestwalk.walk.TranslationMode} decides, functionally,
 * which page-table entries a TLB miss references and what serves each; the {@link org.nestwalk.walk.PageWalker}
 * entity times those steps against the caches and the memory controller. The same
 * {@link org.nestwalk.walk.WalkTrace} feeds the statistics, {@code explain} and the tests.
 */
package org.nestwalk.walk;
