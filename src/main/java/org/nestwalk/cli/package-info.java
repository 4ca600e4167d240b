/** The command line: run, explain, bench and params (picocli). */
package org.nestwalk.cli;
