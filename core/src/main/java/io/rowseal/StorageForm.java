package io.rowseal;

/** How an encrypted value is stored in its column. */
public enum StorageForm {
  /** The binary form, for {@code bytea} / {@code varbinary} columns: {@code 0x01 ‖ nonce ‖ ciphertext ‖ tag}. */
  BINARY,
  /** The text form, for columns that must stay text: {@code "rs1:"} and the padded standard Base64 of the binary form. */
  TEXT
}
