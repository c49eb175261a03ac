package io.rowseal.jdbc;

import io.rowseal.RowSeal;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import io.rowseal.key.awskms.AwsKmsMasterKey;
import io.rowseal.key.kek.KekStore;
import io.rowseal.testsupport.kms.FakeKms;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The configuration matrix of the JDBC acceptance tests, the way Caffeine's {@code @CacheSpec} varies cache
 * configurations: every database × every key setup (local keystore key or AWS KMS through FakeKms and the
 * real SDK client; direct mode or hierarchical mode with KEKs in {@code rowseal_kek}). A test annotated
 * {@link EveryKeySetup} takes one {@link Setup} and builds its fixture with {@link Cards#on(Setup)}.
 */
final class KeySetups implements ArgumentsProvider {

  /** Runs the test once per database and key setup, named like {@code POSTGRES, KMS_HIERARCHICAL}. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @ParameterizedTest(name = "{0}")
  @ArgumentsSource(KeySetups.class)
  @interface EveryKeySetup {}

  /** Where the master key lives and whether it wraps each row's data key directly or through KEKs. */
  enum Keys {
    LOCAL_DIRECT, LOCAL_HIERARCHICAL, KMS_DIRECT, KMS_HIERARCHICAL;

    boolean kms() {
      return this == KMS_DIRECT || this == KMS_HIERARCHICAL;
    }

    boolean hierarchical() {
      return this == LOCAL_HIERARCHICAL || this == KMS_HIERARCHICAL;
    }
  }

  /** One cell of the matrix. */
  record Setup(Db db, Keys keys, Kms kms) {
    /**
     * A RowSeal builder over {@code raw} with this setup's key ring ({@code local} used for the local setups)
     * and, for the hierarchical ones, a migrated KEK store in the same database.
     */
    RowSeal.Builder rowSeal(DataSource raw, AesGcmMasterKey local) {
      MasterKey master = keys.kms() ? kms.masterKey() : local;
      RowSeal.Builder b = RowSeal.builder().keyRing(KeyRing.of(master));
      if (keys.hierarchical()) {
        KekStore store = KekStore.builder(raw).build();
        store.migrate();
        b.hierarchical(store);
      }
      return b;
    }

    @Override
    public String toString() {
      return db + ", " + keys;
    }
  }

  /** One FakeKms (and SDK client) for the whole test run, closed when JUnit closes its root store. */
  static final class Kms implements ExtensionContext.Store.CloseableResource {
    private final FakeKms server = FakeKms.start();
    private final KmsClient client = server.client();
    private final String arn = server.createKey("alias/rowseal-matrix");

    MasterKey masterKey() {
      return AwsKmsMasterKey.builder(client, arn).retryBudget(Duration.ofSeconds(10)).build();
    }

    @Override
    public void close() {
      client.close();
      server.close();
    }
  }

  @Override
  public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
    Kms kms = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Kms.class, k -> new Kms(), Kms.class);
    return Arrays.stream(Db.values())
        .flatMap(db -> Arrays.stream(Keys.values()).map(keys -> Arguments.of(new Setup(db, keys, kms))));
  }
}
