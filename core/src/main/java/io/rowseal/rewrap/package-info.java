/**
 * Key jobs over a table: {@link io.rowseal.rewrap.RewrapJob} moves every row's wrapped data key to the
 * active master key (lazy rotation's batch half), with worker threads, a key-operation rate limit and
 * {@link io.rowseal.rewrap.IdRange}s to split a table between processes; {@link io.rowseal.rewrap.KeyStatus}
 * counts rows per key reference, which is what tells whether an old key may be retired.
 */
@NullMarked
package io.rowseal.rewrap;

import org.jspecify.annotations.NullMarked;
