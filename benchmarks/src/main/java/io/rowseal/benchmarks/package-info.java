/**
 * JMH benchmarks of RowSeal's per-row paths. Each class measures RowSeal against a raw-JCE (or
 * plaintext) baseline in the same run, so that its results are read as same-run ratios rather than
 * absolute numbers, and its Javadoc says what it measures and how to run it; {@code benchmarks/README.md}
 * lists the commands and the latest figures. Not part of the test run and never deployed.
 *
 * <p>Benchmark state objects are per thread and are filled in their {@code @Setup} methods, not in
 * constructors.
 */
@NullMarked
package io.rowseal.benchmarks;

import org.jspecify.annotations.NullMarked;
