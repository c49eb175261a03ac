/**
 * RowSeal's byte formats, version 1, exactly as {@code docs/FORMAT.md} describes them: the context
 * encoding, the encoded plaintext with its type tags, the encrypted value (binary and {@code rs1:} text
 * forms) and the companion column that holds a row's wrapped data key.
 *
 * <p>Most code uses {@link io.rowseal.RowSeal} and {@link io.rowseal.RowKey}; these classes are for
 * tools that work on stored bytes directly (tests, migrations, other-language interop checks).
 */
@NullMarked
package io.rowseal.format;

import org.jspecify.annotations.NullMarked;
