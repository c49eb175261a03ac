package io.rowseal.sample.demo;

import io.rowseal.Encrypted;
import io.rowseal.StorageForm;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * The demo's card: number and CVV encrypted in binary form, holder name in text form. The CVV is only an
 * example of a short secret: PCI DSS forbids storing it after authorization, even encrypted.
 */
@Entity
@Table(name = "cards")
public class Card {
  @Id
  @SequenceGenerator(name = "card_ids", sequenceName = "card_ids", allocationSize = 50)
  @GeneratedValue(generator = "card_ids")
  Long id;

  @ManyToOne
  @JoinColumn(name = "customer_id")
  Customer customer;

  @Encrypted
  @Column(name = "card_number")
  String cardNumber;

  @Encrypted(storage = StorageForm.TEXT)
  @Column(name = "holder_name")
  String holderName;

  @Encrypted
  String cvv;

  @Version
  long version;

  protected Card() {}

  public Card(Customer customer, String cardNumber, String holderName, String cvv) {
    this.customer = customer;
    this.cardNumber = cardNumber;
    this.holderName = holderName;
    this.cvv = cvv;
  }

  public Long getId() {
    return id;
  }

  public Customer getCustomer() {
    return customer;
  }

  public String getCardNumber() {
    return cardNumber;
  }

  public String getHolderName() {
    return holderName;
  }

  public String getCvv() {
    return cvv;
  }
}
