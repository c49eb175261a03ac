/**
 * Implementation details shared by RowSeal's modules. Not API: anything here may change in any release.
 */
@NullMarked
package io.rowseal.internal;

import org.jspecify.annotations.NullMarked;
