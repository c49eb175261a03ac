/**
 * Implementation details at the bottom of core: AES-GCM, encodings, randomness, error sanitising. A leaf
 * (it imports only {@code io.rowseal.errors}). Not API: anything here may change in any release.
 */
@NullMarked
package io.rowseal.internal;

import org.jspecify.annotations.NullMarked;
