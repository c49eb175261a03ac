/**
 * Keys: the master-key SPI ({@link io.rowseal.key.MasterKey}), key references, the key ring that maps a
 * reference to the key that can unwrap it, and the data-key type that keeps key bytes out of logs.
 */
@NullMarked
package io.rowseal.key;

import org.jspecify.annotations.NullMarked;
