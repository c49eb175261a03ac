/** Building a {@link io.rowseal.RowSeal} from a properties or YAML file. */
@NullMarked
package io.rowseal.config;

import org.jspecify.annotations.NullMarked;
