/**
 * Key jobs over a table: {@link io.rowseal.rewrap.RewrapJob} moves every row's wrapped data key to the
 * active master key (lazy rotation's batch half) and {@link io.rowseal.rewrap.KeyStatus} counts rows per
 * key reference, which is what tells whether an old key may be retired.
 * {@link io.rowseal.rewrap.EncryptExistingJob} encrypts the rows of a plaintext column being adopted.
 */
@NullMarked
package io.rowseal.rewrap;

import org.jspecify.annotations.NullMarked;
