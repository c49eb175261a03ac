package io.rowseal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration files build the same engine as code, and name the key of every mistake. */
class RowSealConfigurationTest {
  @TempDir static Path dir;

  @BeforeAll
  static void keystore() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    for (String alias : new String[] {"k1", "k2"}) {
      Process p = new ProcessBuilder(keytool.toString(), "-genseckey", "-alias", alias, "-keyalg", "AES", "-keysize",
          "256", "-storetype", "PKCS12", "-keystore", dir.resolve("keys.p12").toString(), "-storepass", "changeit",
          "-keypass", "changeit").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    Files.writeString(dir.resolve("pw.txt"), "changeit\n");
  }

  private static Path write(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private static final String PROPS = String.join("\n",
      "rowseal.keystore.path = keys.p12",
      "rowseal.keystore.password-file = pw.txt",
      "rowseal.keystore.active = k2",
      "rowseal.tables.cards.id = id",
      "rowseal.tables.cards.companion = dek",
      "rowseal.tables.cards.columns.card_number = string",
      "rowseal.tables.cards.columns.holder = string, text",
      "rowseal.tables.cards.columns.expiry = date, binary, expiry_v1",
      "");

  @Test
  void load_properties_buildsTablesAndKeyRing() throws Exception {
    RowSeal rowSeal = RowSealConfiguration.load(write("a.properties", PROPS));

    EncryptedTable cards = rowSeal.table("cards");
    assertThat(cards.idColumns()).containsExactly("id");
    assertThat(cards.companionColumn()).isEqualTo("dek");
    assertThat(cards.column("holder").storage()).isEqualTo(StorageForm.TEXT);
    assertThat(cards.column("expiry").javaType()).isEqualTo(LocalDate.class);
    assertThat(cards.column("expiry").logicalName()).isEqualTo("expiry_v1");
    assertThat(rowSeal.keyRing().active().ref().toString()).isEqualTo("local:k2");
    try (RowKey key = rowSeal.newRowKey(cards, RowId.of(7));
        RowKey reopened = rowSeal.openRowKey(cards, RowId.of(7), key.companion())) {
      Object sealed = key.encrypt(cards.column("holder"), "Jane");
      assertThat(reopened.decrypt(cards.column("holder"), sealed)).isEqualTo("Jane");
    }
  }

  @Test
  void load_schemaSettingsAbsent_validationOnAndNoUnmanagedTables() throws Exception {
    RowSeal rowSeal = RowSealConfiguration.load(write("defaults.properties", PROPS));

    assertThat(rowSeal.schemaValidation()).isTrue();
    assertThat(rowSeal.unmanagedTables()).isEmpty();
  }

  @Test
  void load_schemaSettingsInProperties_areRead() throws Exception {
    RowSeal rowSeal = RowSealConfiguration.load(write("schema.properties", PROPS
        + "rowseal.schema-validation = false\nrowseal.unmanaged-tables = Audit_Copy, legacy\n"));

    assertThat(rowSeal.schemaValidation()).isFalse();
    assertThat(rowSeal.unmanagedTables()).containsExactlyInAnyOrder("audit_copy", "legacy");
    assertThat(rowSeal.toBuilder().build().unmanagedTables()).containsExactlyInAnyOrder("audit_copy", "legacy");
  }

  @Test
  void load_schemaSettingsInYaml_areRead() throws Exception {
    Path f = write("schema.yaml", String.join("\n",
        "rowseal:",
        "  keystore: {path: keys.p12, password-file: pw.txt, active: k1}",
        "  schema-validation: false",
        "  unmanaged-tables: [audit_copy, legacy]",
        "  tables:",
        "    cards:",
        "      id: id",
        "      columns: {card_number: string}",
        ""));

    RowSeal rowSeal = RowSealConfiguration.load(f);

    assertThat(rowSeal.schemaValidation()).isFalse();
    assertThat(rowSeal.unmanagedTables()).containsExactlyInAnyOrder("audit_copy", "legacy");
  }

  @Test
  void load_cryptoAndParallelismAbsent_autoAndOne() throws Exception {
    RowSeal rowSeal = RowSealConfiguration.load(write("crypto-defaults.properties", PROPS));

    assertThat(rowSeal.cryptoProvider()).isIn(io.rowseal.CryptoProvider.JDK, io.rowseal.CryptoProvider.ACCP);
    assertThat(rowSeal.decryptParallelism()).isEqualTo(1);
  }

  @Test
  void load_cryptoProviderAndParallelism_areRead() throws Exception {
    RowSeal accp = RowSealConfiguration.load(write("accp.properties", PROPS
        + "rowseal.crypto.provider = accp\nrowseal.jdbc.decrypt-parallelism = 4\n"));
    RowSeal jdk = RowSealConfiguration.load(write("jdk.properties", PROPS + "rowseal.crypto.provider = jdk\n"));

    assertThat(accp.cryptoProvider()).isEqualTo(io.rowseal.CryptoProvider.ACCP);
    assertThat(accp.decryptParallelism()).isEqualTo(4);
    assertThat(jdk.cryptoProvider()).isEqualTo(io.rowseal.CryptoProvider.JDK);
  }

  @Test
  void load_cryptoProviderUnknown_failsNamingChoices() throws Exception {
    assertThatThrownBy(() -> RowSealConfiguration.load(write("badcrypto.properties", PROPS
        + "rowseal.crypto.provider = bouncycastle\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowseal.crypto.provider must be auto, jdk or accp, was 'bouncycastle'");
  }

  @Test
  void load_decryptParallelismOutOfRange_failsNamingKey() throws Exception {
    assertThatThrownBy(() -> RowSealConfiguration.load(write("zero.properties", PROPS
        + "rowseal.jdbc.decrypt-parallelism = 0\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowseal.jdbc.decrypt-parallelism must be a positive whole number, was '0'");
    assertThatThrownBy(() -> RowSealConfiguration.load(write("many.properties", PROPS
        + "rowseal.jdbc.decrypt-parallelism = 65\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowseal.jdbc.decrypt-parallelism must be 1..64, was 65");
  }

  @Test
  void load_schemaValidationNotBoolean_failsNamingKey() throws Exception {
    assertThatThrownBy(() -> RowSealConfiguration.load(write("badbool.properties", PROPS
        + "rowseal.schema-validation = yes\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowseal.schema-validation must be true or false, was 'yes'");
  }

  @Test
  void load_unmanagedTableAlsoConfigured_failsNamingBoth() throws Exception {
    assertThatThrownBy(() -> RowSealConfiguration.load(write("both.properties", PROPS
        + "rowseal.unmanaged-tables = CARDS\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table cards is configured with encrypted columns and also listed in unmanagedTables")
        .hasMessageContaining("rowseal.unmanaged-tables");
  }

  @Test
  void load_adoptingPlaintextTrue_tableReadsPlaintextRows() throws Exception {
    Path f = write("adopt.properties", PROPS.replace("= date, binary, expiry_v1", "= string, text")
        .replace("card_number = string", "card_number = string, text")
        + "rowseal.tables.cards.adopting-plaintext = true\n");

    assertThat(RowSealConfiguration.load(f).table("cards").isAdoptingPlaintext()).isTrue();
    assertThat(RowSealConfiguration.load(write("plain.properties", PROPS)).table("cards").isAdoptingPlaintext()).isFalse();
  }

  @Test
  void load_adoptingPlaintextNotBoolean_namesTheKey() throws Exception {
    Path f = write("adopt2.properties", PROPS + "rowseal.tables.cards.adopting-plaintext = yes\n");
    assertThatThrownBy(() -> RowSealConfiguration.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowseal.tables.cards.adopting-plaintext");
  }

  @Test
  void load_adoptingPlaintextWithBinaryColumn_rejectedAtLoad() throws Exception {
    Path f = write("adopt3.properties", PROPS + "rowseal.tables.cards.adopting-plaintext = true\n");
    assertThatThrownBy(() -> RowSealConfiguration.load(f)).hasMessageContaining("card_number uses binary storage");
  }

  @Test
  void load_yaml_isEquivalentToProperties() throws Exception {
    String yaml = String.join("\n",
        "rowseal:",
        "  keystore:",
        "    path: keys.p12",
        "    password-file: pw.txt",
        "    active: k1",
        "  tables:",
        "    cards:",
        "      id: id",
        "      columns:",
        "        card_number: string",
        "        holder: string, text",
        "");
    RowSeal rowSeal = RowSealConfiguration.load(write("a.yaml", yaml));

    assertThat(rowSeal.table("cards").column("holder").storage()).isEqualTo(StorageForm.TEXT);
    assertThat(rowSeal.table("cards").companionColumn()).isEqualTo(EncryptedTable.DEFAULT_COMPANION_COLUMN);
    assertThat(rowSeal.keyRing().active().ref().toString()).isEqualTo("local:k1");
  }

  @Test
  void load_unknownType_namesTheKey() throws Exception {
    Path f = write("b.properties", PROPS.replace("= date, binary", "= dates, binary"));
    assertThatThrownBy(() -> RowSealConfiguration.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowseal.tables.cards.columns.expiry")
        .hasMessageContaining("dates");
  }

  @Test
  void load_missingId_namesTheKey() throws Exception {
    Path f = write("c.properties", PROPS.replace("rowseal.tables.cards.id = id\n", ""));
    assertThatThrownBy(() -> RowSealConfiguration.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowseal.tables.cards.id");
  }

  @Test
  void load_misspelledSetting_isRejected() throws Exception {
    Path f = write("d.properties", PROPS + "rowseal.tables.cards.compaion = x\n");
    assertThatThrownBy(() -> RowSealConfiguration.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rowseal.tables.cards.compaion");
  }

  @Test
  void load_twoPasswordSources_isRejected() throws Exception {
    Path f = write("e.properties", PROPS + "rowseal.keystore.password = changeit\n");
    assertThatThrownBy(() -> RowSealConfiguration.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one")
        .hasMessageNotContaining("changeit");
  }

  @Test
  void load_unknownActiveAlias_failsAtLoad() throws Exception {
    Path f = write("f.properties", PROPS.replace("active = k2", "active = k9"));
    assertThatThrownBy(() -> RowSealConfiguration.load(f)).hasMessageContaining("k9");
  }

  @Test
  void load_hierarchicalMode_wrapsUnderKek() throws Exception {
    Path f = write("h.properties", PROPS + "rowseal.mode = hierarchical\nrowseal.kek.migrate = true\n"
        + "rowseal.kek.max-age = 7d\nrowseal.kek.max-wraps = 1000\nrowseal.kek.cache = 1m, 10\n");
    javax.sql.DataSource ds = io.rowseal.testsupport.TestDatabases.h2(io.rowseal.testsupport.TestDatabases.uniqueName("cfg"));
    RowSeal rowSeal = RowSealConfiguration.load(f, ds);
    io.rowseal.EncryptedTable cards = rowSeal.table("cards");
    try (io.rowseal.RowKey key = rowSeal.newRowKey(cards, io.rowseal.RowId.of(1))) {
      assertThat(key.keyRef().scheme()).isEqualTo("kek");
    }
    assertThat(rowSeal.toString()).contains("hierarchical");
  }

  @Test
  void load_hierarchicalWithKekJdbcUrl_noDataSourceNeeded_kekOnItsOwnConnections() throws Exception {
    String url = "jdbc:h2:mem:" + io.rowseal.testsupport.TestDatabases.uniqueName("cfgurl") + ";DB_CLOSE_DELAY=-1";
    Path f = write("hu.properties", PROPS + "rowseal.mode = hierarchical\nrowseal.kek.migrate = true\n"
        + "rowseal.kek.jdbc-url = " + url + "\nrowseal.kek.user = sa\n");
    RowSeal rowSeal = RowSealConfiguration.load(f);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
        java.sql.ResultSet rs = c.getMetaData().getTables(null, null, "ROWSEAL_KEK", null)) {
      // kek.migrate creates the table before its first use, not at load: an application's Flyway runs first
      assertThat(rs.next()).as("rowseal_kek created at load").isFalse();
    }
    try (io.rowseal.RowKey key = rowSeal.newRowKey(rowSeal.table("cards"), io.rowseal.RowId.of(1))) {
      assertThat(key.keyRef().scheme()).isEqualTo("kek");
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
        java.sql.ResultSet rs = c.createStatement().executeQuery("select count(*) from rowseal_kek")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
    Path g = write("hv.properties", PROPS + "rowseal.mode = hierarchical\nrowseal.kek.jdbc-url = " + url
        + "\nrowseal.kek.password-env = ROWSEAL_TEST_SURELY_UNSET_VARIABLE\n");
    assertThatThrownBy(() -> RowSealConfiguration.load(g)).hasMessageContaining("rowseal.kek.password-env")
        .hasMessageContaining("ROWSEAL_TEST_SURELY_UNSET_VARIABLE");
  }

  @Test
  void load_hierarchicalWithoutDataSource_saysHow() throws Exception {
    Path f = write("i.properties", PROPS + "rowseal.mode = hierarchical\n");
    assertThatThrownBy(() -> RowSealConfiguration.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("load(file, dataSource)");
  }

  @Test
  void load_kekSettingInDirectMode_rejected() throws Exception {
    Path f = write("j.properties", PROPS + "rowseal.kek.max-age = 7d\n");
    assertThatThrownBy(() -> RowSealConfiguration.load(f)).hasMessageContaining("rowseal.kek.max-age")
        .hasMessageContaining("hierarchical");
  }

  @Test
  void load_badDurationOrCache_namesTheKey() throws Exception {
    Path f = write("k.properties", PROPS + "rowseal.cache.data-keys = 5 minutes, 10\n");
    assertThatThrownBy(() -> RowSealConfiguration.load(f)).hasMessageContaining("rowseal.cache.data-keys");
    Path g = write("l.properties", PROPS + "rowseal.cache.data-keys = 5m\n");
    assertThatThrownBy(() -> RowSealConfiguration.load(g)).hasMessageContaining("rowseal.cache.data-keys");
    Path h = write("m.properties", PROPS + "rowseal.cache.data-keys = off\n");
    assertThat(RowSealConfiguration.load(h).table("cards")).isNotNull();
  }

  @Test
  void load_activeByReference_overridesKeystoreActive() throws Exception {
    Path f = write("n.properties", PROPS.replace("rowseal.keystore.active = k2\n", "") + "rowseal.active = local:k1\n");
    assertThat(RowSealConfiguration.load(f).activeKeyRef().toString()).isEqualTo("local:k1");
  }

  @Test
  void load_noMasterKey_saysWhatToSet() throws Exception {
    Path f = write("o.properties", PROPS.replaceAll("rowseal.keystore[^\n]*\n", ""));
    assertThatThrownBy(() -> RowSealConfiguration.load(f)).hasMessageContaining("rowseal.keystore.*")
        .hasMessageContaining("rowseal.kms.keys");
  }

  @Test
  void load_kmsKeys_aliasResolvedToArnAndActive() throws Exception {
    try (io.rowseal.testsupport.kms.FakeKms kms = io.rowseal.testsupport.kms.FakeKms.start()) {
      String arn = kms.createKey("alias/rowseal");
      String old = kms.createKey();
      System.setProperty("aws.accessKeyId", kms.credentials().accessKeyId());
      System.setProperty("aws.secretAccessKey", kms.credentials().secretAccessKey());
      try {
        Path f = write("p.properties", PROPS.replaceAll("rowseal.keystore[^\n]*\n", "")
            + "rowseal.kms.keys = alias/rowseal, " + old + "\n"
            + "rowseal.kms.region = " + kms.region() + "\n"
            + "rowseal.kms.endpoint = " + kms.endpoint() + "\n"
            + "rowseal.kms.retry-budget = 3s\nrowseal.kms.call-timeout = 1s\n");
        RowSeal rowSeal = RowSealConfiguration.load(f);
        assertThat(rowSeal.activeKeyRef().toString()).isEqualTo("aws-kms:" + arn);
        assertThat(rowSeal.keyRing().refs()).extracting(Object::toString).containsExactly("aws-kms:" + arn, "aws-kms:" + old);
        io.rowseal.EncryptedTable cards = rowSeal.table("cards");
        byte[] companion;
        byte[] value;
        try (io.rowseal.RowKey key = rowSeal.newRowKey(cards, io.rowseal.RowId.of(5))) {
          companion = key.companion();
          value = key.encryptBinary(cards.column("card_number"), "4111");
        }
        RowSeal reader = RowSealConfiguration.load(f);
        try (io.rowseal.RowKey key = reader.openRowKey(cards, io.rowseal.RowId.of(5), companion)) {
          assertThat(key.decrypt(cards.column("card_number"), value, String.class)).isEqualTo("4111");
        }
        assertThat(kms.successfulCalls("Decrypt")).isEqualTo(1);
      } finally {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }
    }
  }

  @Test
  void load_keystoreAndKms_withoutActive_asksForIt() throws Exception {
    try (io.rowseal.testsupport.kms.FakeKms kms = io.rowseal.testsupport.kms.FakeKms.start()) {
      String arn = kms.createKey();
      System.setProperty("aws.accessKeyId", kms.credentials().accessKeyId());
      System.setProperty("aws.secretAccessKey", kms.credentials().secretAccessKey());
      try {
        Path f = write("q.properties", PROPS.replace("rowseal.keystore.active = k2\n", "")
            + "rowseal.kms.keys = " + arn + "\nrowseal.kms.endpoint = " + kms.endpoint() + "\n");
        assertThatThrownBy(() -> RowSealConfiguration.load(f)).hasMessageContaining("rowseal.active")
            .hasMessageContaining("aws-kms:" + arn).hasMessageContaining("local:k1");
        Path g = write("r.properties", PROPS.replace("rowseal.keystore.active = k2\n", "")
            + "rowseal.kms.keys = " + arn + "\nrowseal.kms.endpoint = " + kms.endpoint() + "\nrowseal.active = aws-kms:" + arn + "\n");
        assertThat(RowSealConfiguration.load(g).activeKeyRef().toString()).isEqualTo("aws-kms:" + arn);
      } finally {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }
    }
  }

  @Test
  void load_searchSettings_configureTheBlindIndex() throws Exception {
    RowSeal rowSeal = RowSealConfiguration.load(write("search.properties", PROPS
        + "rowseal.tables.cards.search.card_number.column = card_idx\n"
        + "rowseal.tables.cards.search.card_number.normalize = digits\n"
        + "rowseal.tables.cards.search.card_number.bits = 64\n"
        + "rowseal.tables.cards.search.holder.column = holder_idx\n"
        + "rowseal.tables.cards.search.holder.rotation-column = holder_idx2\n"));
    io.rowseal.SearchIndex number = rowSeal.table("cards").column("card_number").searchIndex();
    assertThat(number.column()).isEqualTo("card_idx");
    assertThat(number.normalization()).isEqualTo(io.rowseal.Normalization.DIGITS);
    assertThat(number.bits()).isEqualTo(64);
    assertThat(number.rotationColumn()).isEqualTo("card_idx_next");
    io.rowseal.SearchIndex holder = rowSeal.table("cards").column("holder").searchIndex();
    assertThat(holder.bits()).isEqualTo(256);
    assertThat(holder.rotationColumn()).isEqualTo("holder_idx2");
    assertThat(rowSeal.table("cards").column("expiry").searchIndex()).isNull();
  }

  @Test
  void load_badSearchSettings_nameTheKey() throws Exception {
    String p = "rowseal.tables.cards.search.card_number.";
    assertThatThrownBy(() -> RowSealConfiguration.load(write("s1.properties", PROPS + p + "normalize = lowercase\n")))
        .hasMessageContaining(p + "column is required");
    assertThatThrownBy(() -> RowSealConfiguration.load(write("s2.properties", PROPS + p + "column = x\n" + p
        + "bits = 4\n"))).hasMessageContaining(p).hasMessageContaining("8..256");
    assertThatThrownBy(() -> RowSealConfiguration.load(write("s3.properties", PROPS + p + "column = x\n" + p
        + "normalize = upper\n"))).hasMessageContaining(p + "normalize");
    assertThatThrownBy(() -> RowSealConfiguration.load(write("s4.properties", PROPS + p + "colum = x\n")))
        .hasMessageContaining("unknown search setting " + p + "colum");
    assertThatThrownBy(() -> RowSealConfiguration.load(write("s5.properties", PROPS
        + "rowseal.tables.cards.search.expiry.column = x\nrowseal.tables.cards.search.expiry.normalize = trim\n")))
        .hasMessageContaining("only to String");
    assertThatThrownBy(() -> RowSealConfiguration.load(write("s6.properties", PROPS
        + "rowseal.tables.cards.search.note.column = x\n"))).hasMessageContaining("not an encrypted column");
  }
}
