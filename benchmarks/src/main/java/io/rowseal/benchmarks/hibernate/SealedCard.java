package io.rowseal.benchmarks.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * The seed use case's card with number, holder name and CVV encrypted (binary storage; the CVV only as an
 * example of a short secret: PCI DSS forbids storing it after authorization). Otherwise identical to
 * {@link PlainCard}.
 */
@Entity
@Table(name = "bench_hb_sealed")
public class SealedCard {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "bench_hb_sealed_seq")
  @SequenceGenerator(name = "bench_hb_sealed_seq", sequenceName = "bench_hb_sealed_seq", allocationSize = 50)
  Long id;

  @Encrypted
  String number;

  @Encrypted
  String holderName;

  @Encrypted
  String cvv;

  String note;

  protected SealedCard() {}

  SealedCard(String number, String holderName, String cvv, String note) {
    this.number = number;
    this.holderName = holderName;
    this.cvv = cvv;
    this.note = note;
  }
}
