/**
 * Master keys from a local PKCS#12 keystore, for development and for deployments without a KMS.
 */
@NullMarked
package io.rowseal.key.local;

import org.jspecify.annotations.NullMarked;
