/**
 * Key jobs over a table. {@link io.rowseal.jobs.TableJob} is the one keyset-scan engine (pages in key
 * order, workers, rate limit, per-page transaction, compare-and-set write, progress, dry run, one
 * {@link io.rowseal.jobs.JobReport}); each job is a {@link io.rowseal.jobs.RowAction} plugged into it:
 * {@link io.rowseal.jobs.RewrapJob} moves every row's wrapped data key to the active key (lazy rotation's
 * batch half; several workers per process, several processes by {@link io.rowseal.jobs.IdRange}),
 * {@link io.rowseal.jobs.VerifyJob} decrypts every row (or a sample) and reports the rows the application
 * could not read, and {@link io.rowseal.jobs.EncryptExistingJob} encrypts the rows of a plaintext column
 * being adopted. {@link io.rowseal.jobs.KeyStatus} counts rows per key reference and
 * {@link io.rowseal.jobs.KeyRetirement} retires a master key only when no row needs it.
 */
@NullMarked
package io.rowseal.jobs;

import org.jspecify.annotations.NullMarked;
