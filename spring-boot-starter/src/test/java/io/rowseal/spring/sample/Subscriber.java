package io.rowseal.spring.sample;

import io.rowseal.Encrypted;
import io.rowseal.Searchable;
import io.rowseal.StorageForm;
import io.rowseal.Normalization;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Searchable encrypted fields: a full-length e-mail index and a truncated (16-bit) phone index. */
@Entity
@Table(name = "subscribers")
public class Subscriber {
  @Id
  private Long id;

  @Encrypted(storage = StorageForm.TEXT, search = @Searchable(column = "email_idx", normalize = Normalization.LOWERCASE))
  private String email;

  @Encrypted(search = @Searchable(column = "phone_idx", normalize = Normalization.DIGITS, bits = 16))
  private String phone;

  protected Subscriber() {}

  public Subscriber(long id, String email, String phone) {
    this.id = id;
    this.email = email;
    this.phone = phone;
  }

  public Long getId() {
    return id;
  }

  public String getEmail() {
    return email;
  }

  public String getPhone() {
    return phone;
  }
}
