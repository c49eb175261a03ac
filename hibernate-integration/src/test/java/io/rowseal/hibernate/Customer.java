package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** The seed use case's customer: name and national id encrypted. */
@Entity
public class Customer {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE)
  Long id;

  @Encrypted
  String name;

  @Encrypted
  String nationalId;

  protected Customer() {}

  /** Through a method, so that a lazy proxy initializes itself (field reads on a proxy would not). */
  public String getName() {
    return name;
  }

  Customer(String name, String nationalId) {
    this.name = name;
    this.nationalId = nationalId;
  }
}
