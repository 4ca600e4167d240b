/** Primitive collections the model needs to stay free of boxing on its hot paths. */
package org.nestwalk.util;
