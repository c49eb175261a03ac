/**
 * The RowSeal command line: demo, key management and rotation jobs. Not built yet; see the project's
 * issues.
 */
package io.rowseal.sample;
