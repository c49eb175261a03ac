package io.rowseal;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes an {@link Encrypted} field searchable by equality through a blind index, in one line on the field:
 *
 * <pre>{@code
 * @Encrypted(storage = StorageForm.TEXT,
 *     search = @Searchable(column = "email_idx", normalize = Normalization.LOWERCASE, unique = true))
 * String email;
 * }</pre>
 *
 * The same index as {@code rowseal.tables.T.search.C.*} in a configuration file ({@link
 * io.rowseal.SearchIndex}): the Hibernate integration maps it into the table model, and when Hibernate
 * generates the schema it adds the index column and the rotation column (binary, nullable, UNIQUE with
 * {@link #unique()}). See docs/FORMAT.md §7 for what an index leaks and how truncation trades leakage for
 * queries the database can answer alone.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Searchable {
  /** The binary column holding the blind index. */
  String column();

  /** The normalisation that defines equality (string fields only); none by default. */
  Normalization normalize() default Normalization.NONE;

  /** Bits of the HMAC kept, 8 to 256 (256, full length, by default). Below 256 the database answers less alone. */
  int bits() default 256;

  /** The column an index-key rotation writes the new version into; empty means {@code <column>_next}. */
  String rotationColumn() default "";

  /**
   * Whether generated DDL makes the index and rotation columns UNIQUE, so the database enforces uniqueness of the
   * normalised plaintext (full-length indexes only).
   */
  boolean unique() default false;
}
