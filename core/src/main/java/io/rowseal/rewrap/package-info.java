/**
 * Key jobs over a table: {@link io.rowseal.rewrap.RewrapJob} moves every row's wrapped data key to the
 * active key (lazy rotation's batch half; several workers per process, several processes by
 * {@link io.rowseal.rewrap.IdRange}), {@link io.rowseal.rewrap.KeyStatus} counts rows per key reference,
 * {@link io.rowseal.rewrap.VerifyJob} decrypts every row (or a sample) and reports the rows the
 * application could not read, {@link io.rowseal.rewrap.KeyRetirement} retires a master key only when no
 * row needs it, and {@link io.rowseal.rewrap.EncryptExistingJob} encrypts the rows of a plaintext column
 * being adopted.
 */
@NullMarked
package io.rowseal.rewrap;

import org.jspecify.annotations.NullMarked;
