/**
 * The RowSeal command line ({@link io.rowseal.sample.RowSealCli}): an embedded {@code demo}; {@code keys}
 * (create, add, activate, list) for a local keystore; and {@code status}, {@code rewrap}, {@code verify}
 * and {@code retire} against a configured database. {@code encrypt-existing} is not built yet.
 */
@NullMarked
package io.rowseal.sample;

import org.jspecify.annotations.NullMarked;
