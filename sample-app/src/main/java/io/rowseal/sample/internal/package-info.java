/** Helpers of the command line; not API. */
@NullMarked
package io.rowseal.sample.internal;

import org.jspecify.annotations.NullMarked;
