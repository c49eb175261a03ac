/**
 * The JDBC wrapper's engine: statement planning (JSqlParser, once per SQL text), the wrapping
 * connection, statements and result sets. Not API; may change in any release.
 */
@NullMarked
package io.rowseal.jdbc.internal;

import org.jspecify.annotations.NullMarked;
