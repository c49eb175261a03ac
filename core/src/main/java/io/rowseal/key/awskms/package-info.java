/**
 * Master keys in AWS KMS ({@link io.rowseal.key.awskms.AwsKmsMasterKey}), used through the caller's AWS SDK
 * v2 {@code KmsClient}. Needs {@code software.amazon.awssdk:kms} on the class path (an optional dependency
 * of rowseal-core).
 */
@NullMarked
package io.rowseal.key.awskms;

import org.jspecify.annotations.NullMarked;
