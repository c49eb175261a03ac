package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

/** A database-generated (IDENTITY) id: the row id is unknown when the row is written, so rows are unbound. */
@Entity
public class Account {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  Long id;

  @Encrypted
  String iban;

  @Encrypted
  long balanceCents;

  @Version
  long version;

  String label;

  protected Account() {}

  Account(String iban, long balanceCents, String label) {
    this.iban = iban;
    this.balanceCents = balanceCents;
    this.label = label;
  }
}
