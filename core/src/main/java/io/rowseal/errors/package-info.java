/**
 * The exceptions RowSeal throws, all {@link io.rowseal.errors.RowSealException}s: a leaf package every
 * other one may use, so that no package needs the engine's to name a failure.
 */
@NullMarked
package io.rowseal.errors;

import org.jspecify.annotations.NullMarked;
