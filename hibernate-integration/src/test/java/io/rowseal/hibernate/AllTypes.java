package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One {@code @Encrypted} field of every type core encodes (boxed where a null must be representable). */
@Entity
public class AllTypes {
  enum Colour { RED, GREEN, BLUE }

  @Id
  Long id;

  @Encrypted
  String vString;

  @Encrypted
  byte[] vBytes;

  @Encrypted
  boolean vBoolean;

  @Encrypted
  int vInt;

  @Encrypted
  long vLong;

  @Encrypted
  double vDouble;

  @Encrypted
  BigDecimal vDecimal;

  @Encrypted
  BigInteger vBigInteger;

  @Encrypted
  LocalDate vLocalDate;

  @Encrypted
  LocalTime vLocalTime;

  @Encrypted
  LocalDateTime vLocalDateTime;

  @Encrypted
  Instant vInstant;

  @Encrypted
  OffsetDateTime vOffsetDateTime;

  @Encrypted
  UUID vUuid;

  @Encrypted
  Colour vEnum;

  @Encrypted
  Integer vNullable;
}
