package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.AttributeOverrides;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

/** Two embedded addresses (one with overridden column names) beside an encrypted field of its own. */
@Entity
public class Person {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE)
  Long id;

  @Encrypted
  String name;

  @Embedded
  Address home;

  @Embedded
  @AttributeOverrides({
      @AttributeOverride(name = "street", column = @Column(name = "work_street")),
      @AttributeOverride(name = "city", column = @Column(name = "work_city")),
      @AttributeOverride(name = "since", column = @Column(name = "work_since"))})
  Address work;
}
