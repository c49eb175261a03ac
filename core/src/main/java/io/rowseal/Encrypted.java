package io.rowseal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an entity or embeddable field whose column is encrypted with the row's data key. Plain Java, so
 * entity classes need no framework dependency to carry it; the Hibernate integration reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Encrypted {
  /** How the ciphertext is stored: binary for {@code bytea}/{@code varbinary}, text for character columns. */
  StorageForm storage() default StorageForm.BINARY;

  /**
   * The logical column name bound into the ciphertext's authentication data. Empty means the physical
   * column name lower-cased; set it to the old name after renaming a column so old rows stay readable.
   */
  String logicalName() default "";

  /**
   * At most one {@link Searchable}: a blind index making the field searchable by equality (none by default),
   * for example {@code search = @Searchable(column = "email_idx", normalize = Normalization.LOWERCASE)}.
   */
  Searchable[] search() default {};
}
