package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Version;

/**
 * The seed use case's card: number, holder name and CVV encrypted (the CVV only as an example of a short
 * secret: PCI DSS forbids storing it after authorization), optimistic locking, and its customer.
 */
@Entity
public class Card {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE)
  Long id;

  @Encrypted
  String number;

  @Encrypted
  String holderName;

  @Encrypted
  String cvv;

  @Version
  long version;

  @ManyToOne
  Customer customer;

  protected Card() {}

  Card(String number, String holderName, String cvv, Customer customer) {
    this.number = number;
    this.holderName = holderName;
    this.cvv = cvv;
    this.customer = customer;
  }
}
