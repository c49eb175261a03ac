/**
 * {@link io.rowseal.testsupport.kms.FakeKms}: a KMS-compatible HTTP endpoint (AWS JSON 1.1, SigV4, real
 * AES-256-GCM, KMS error codes, switchable faults) so tests and benchmarks drive the real AWS SDK client
 * without an AWS account.
 */
package io.rowseal.testsupport.kms;
