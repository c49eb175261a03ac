/**
 * In-memory key management behind the engine: the bounded, expiring cache of unwrapped keys (zeroed on
 * eviction), reference-counted shared keys and the table of parsed key references. Not API.
 */
@NullMarked
package io.rowseal.internal.keys;

import org.jspecify.annotations.NullMarked;
