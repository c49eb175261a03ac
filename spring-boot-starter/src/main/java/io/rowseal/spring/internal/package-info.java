/** Implementation of the Spring Boot starter; not API. */
@NullMarked
package io.rowseal.spring.internal;

import org.jspecify.annotations.NullMarked;
