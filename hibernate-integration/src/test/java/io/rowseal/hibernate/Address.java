package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Embeddable;
import java.time.LocalDate;

/** An embeddable with encrypted and plain fields. */
@Embeddable
public class Address {
  @Encrypted
  String street;

  String city;

  @Encrypted
  LocalDate since;

  protected Address() {}

  Address(String street, String city, LocalDate since) {
    this.street = street;
    this.city = city;
    this.since = since;
  }
}
