package io.rowseal.benchmarks.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** The seed use case's card with nothing encrypted: {@link HibernateBenchmark}'s baseline. */
@Entity
@Table(name = "bench_hb_plain")
public class PlainCard {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "bench_hb_plain_seq")
  @SequenceGenerator(name = "bench_hb_plain_seq", sequenceName = "bench_hb_plain_seq", allocationSize = 50)
  Long id;

  String number;

  String holderName;

  String cvv;

  String note;

  protected PlainCard() {}

  PlainCard(String number, String holderName, String cvv, String note) {
    this.number = number;
    this.holderName = holderName;
    this.cvv = cvv;
    this.note = note;
  }
}
