package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import io.rowseal.StorageForm;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.math.BigDecimal;
import java.time.LocalDate;

/** Text storage, an explicit logical name and non-string types. */
@Entity
public class Memo {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE)
  Long id;

  @Encrypted(storage = StorageForm.TEXT)
  String body;

  @Encrypted(logicalName = "subject_v0")
  String subject;

  @Encrypted
  BigDecimal amount;

  @Encrypted
  LocalDate issued;

  @Encrypted
  long counter;

  String plainNote;
}
