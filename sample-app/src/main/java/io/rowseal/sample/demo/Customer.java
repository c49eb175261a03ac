package io.rowseal.sample.demo;

import io.rowseal.Encrypted;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The demo's customer: name and national id encrypted. Not final: Hibernate may proxy it. */
@Entity
@Table(name = "customers")
public class Customer {
  @Id
  @SequenceGenerator(name = "customer_ids", sequenceName = "customer_ids", allocationSize = 50)
  @GeneratedValue(generator = "customer_ids")
  Long id;

  @Encrypted
  String name;

  @Encrypted
  @Column(name = "national_id")
  String nationalId;

  protected Customer() {}

  public Customer(String name, String nationalId) {
    this.name = name;
    this.nationalId = nationalId;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }
}
