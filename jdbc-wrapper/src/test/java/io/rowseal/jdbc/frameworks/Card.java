package io.rowseal.jdbc.frameworks;

import java.math.BigDecimal;

/**
 * One row of the framework tests' {@code cards} table as the application sees it: {@code cardNumber}
 * (binary storage) and {@code holder} (text storage) are encrypted, {@code note} and {@code amount} are
 * plaintext.
 */
record Card(long id, String cardNumber, String holder, String note, BigDecimal amount) {

  /** A distinct, recognisable card for {@code id}. */
  static Card sample(long id) {
    return new Card(id, String.format("41111111111111%02d", id % 100), "Holder " + id, "note " + id,
        new BigDecimal(id + "0.25"));
  }

  /** This card after an application update of both encrypted columns and the note. */
  Card updated() {
    return new Card(id, String.format("55555555555544%02d", id % 100), "New holder " + id, "updated " + id,
        amount.add(BigDecimal.ONE));
  }
}
