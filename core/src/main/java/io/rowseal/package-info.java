/**
 * RowSeal's public API: the per-row envelope engine ({@link io.rowseal.RowSeal}, {@link io.rowseal.RowKey}),
 * row identities, the {@link io.rowseal.Encrypted} annotation and the exception tree rooted at
 * {@link io.rowseal.errors.RowSealException}.
 */
@NullMarked
package io.rowseal;

import io.rowseal.errors.RowSealException;
import org.jspecify.annotations.NullMarked;
