package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import io.rowseal.Searchable;
import io.rowseal.StorageForm;
import io.rowseal.Normalization;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity with two searchable encrypted fields: a full-length UNIQUE e-mail and a 16-bit phone number. */
@Entity
public class Subscriber {
  @Id
  Long id;

  @Encrypted(storage = StorageForm.TEXT,
      search = @Searchable(column = "email_idx", normalize = Normalization.LOWERCASE, unique = true))
  String email;

  @Encrypted(search = @Searchable(column = "phone_idx", normalize = Normalization.DIGITS, bits = 16))
  String phone;

  String city;

  protected Subscriber() {}

  Subscriber(long id, String email, String phone, String city) {
    this.id = id;
    this.email = email;
    this.phone = phone;
    this.city = city;
  }
}
