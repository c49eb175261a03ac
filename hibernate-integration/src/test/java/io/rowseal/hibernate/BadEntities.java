package io.rowseal.hibernate;

import io.rowseal.Encrypted;
import jakarta.persistence.Cacheable;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.time.Duration;
import java.util.List;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** Mappings RowSeal must refuse at boot. */
final class BadEntities {
  private BadEntities() {}

  @Entity(name = "EncryptedIdEntity")
  static class EncryptedId {
    @Id
    @Encrypted
    Long id;

    @Encrypted
    String secret;
  }

  @Entity(name = "DurationEntity")
  static class UnsupportedType {
    @Id
    Long id;

    @Encrypted
    Duration retention;
  }

  @Entity(name = "CachedSecretEntity")
  @Cacheable
  @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
  static class CachedSecret {
    @Id
    Long id;

    @Encrypted
    String secret;
  }

  @Embeddable
  static class Address {
    @Encrypted
    String street;
  }

  @Entity(name = "EmbeddableCollectionEntity")
  static class WithEmbeddableCollection {
    @Id
    Long id;

    @ElementCollection
    List<Address> addresses;
  }

  @Embeddable
  static class Plain {
    String street;
  }

  @Entity(name = "WholeEmbeddedEntity")
  static class WholeEmbeddedEncrypted {
    @Id
    Long id;

    @Embedded
    @Encrypted
    Plain address;
  }
}
