package io.rowseal.spring.sample;

import io.rowseal.Encrypted;
import io.rowseal.StorageForm;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** The sample's entity: name (binary storage) and national id (text storage) encrypted, city plain. */
@Entity
@Table(name = "customers")
public class Customer {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE)
  private Long id;

  @Encrypted
  private String name;

  @Encrypted(storage = StorageForm.TEXT)
  private String nationalId;

  private String city;

  @Version
  private long version;

  protected Customer() {}

  public Customer(String name, String nationalId, String city) {
    this.name = name;
    this.nationalId = nationalId;
    this.city = city;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNationalId() {
    return nationalId;
  }

  public String getCity() {
    return city;
  }
}
