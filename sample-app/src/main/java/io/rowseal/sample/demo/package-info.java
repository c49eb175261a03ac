/** The demo's {@code @Encrypted} entities and their Flyway migration (in resources). Not API. */
@NullMarked
package io.rowseal.sample.demo;

import org.jspecify.annotations.NullMarked;
