/**
 * The RowSeal command line ({@link io.rowseal.sample.RowSealCli}): an embedded {@code demo}, and
 * {@code status} and {@code rewrap} against a configured database. Key management, {@code verify} and
 * {@code retire} are not built yet.
 */
@NullMarked
package io.rowseal.sample;

import org.jspecify.annotations.NullMarked;
