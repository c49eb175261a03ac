/**
 * Equality search on encrypted columns: blind indexes (keyed HMAC-SHA-256 of the normalised plaintext
 * encoding, optionally truncated), their versioned index keys and the phases of an index-key rotation.
 */
@NullMarked
package io.rowseal.search;

import org.jspecify.annotations.NullMarked;
