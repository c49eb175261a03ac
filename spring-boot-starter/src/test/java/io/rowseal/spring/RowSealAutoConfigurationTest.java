package io.rowseal.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.jdbc.RowSealDataSource;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.spring.internal.EnvironmentProperties;
import io.rowseal.testsupport.kms.FakeKms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The auto-configuration alone, without a database: properties, wrapping rules and the health indicator. */
class RowSealAutoConfigurationTest {
  private static FakeKms kms;

  @TempDir Path dir;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(RowSealAutoConfiguration.class, RowSealActuatorAutoConfiguration.class));

  @BeforeAll
  static void startKms() {
    kms = FakeKms.start();
    System.setProperty("aws.accessKeyId", kms.credentials().accessKeyId());
    System.setProperty("aws.secretAccessKey", kms.credentials().secretAccessKey());
  }

  @AfterAll
  static void stopKms() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    kms.close();
  }

  private String[] keystore() throws Exception {
    Keystores.create(dir.resolve("rowseal.p12"), "k1", "k2");
    return new String[] {"rowseal.keystore.path=" + dir.resolve("rowseal.p12"),
        "rowseal.keystore.password=" + Keystores.PASSWORD, "rowseal.keystore.active=k1"};
  }

  @Test
  void rowSeal_tableAndColumnNamesWithUnderscoresAndCase_reachTheLoaderAsWritten() throws Exception {
    runner.withPropertyValues(keystore())
        .withPropertyValues("rowseal.tables.Card_Vault.id=card_id",
            "rowseal.tables.Card_Vault.columns.card_number=string, text, pan_v1")
        .run(context -> {
          EncryptedTable table = context.getBean(RowSeal.class).table("card_vault");
          assertThat(table.idColumns()).containsExactly("card_id");
          assertThat(table.column("card_number").storage()).isEqualTo(StorageForm.TEXT);
          assertThat(table.column("card_number").logicalName()).isEqualTo("pan_v1");
          assertThat(context.getBean(RowSeal.class).keyRing().active().ref()).isEqualTo(KeyRef.of("local:k1"));
        });
  }

  @Test
  void environmentProperties_yamlListPlaceholdersAndOverrides_flattenedAsAFileWouldHoldThem() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("override", Map.of("rowseal.keystore.active", "k2")));
    env.getPropertySources().addLast(new MapPropertySource("yaml", Map.of(
        "rowseal.kms.keys[0]", "alias/a", "rowseal.kms.keys[1]", "alias/b",
        "rowseal.keystore.active", "k1", "rowseal.keystore.password-env", "${pw.var:ROWSEAL_PW}",
        "rowseal.enabled", "true", "other.key", "x")));

    Properties p = EnvironmentProperties.rowsealSubtree(env);

    assertThat(p).containsOnly(Map.entry("rowseal.kms.keys", "alias/a,alias/b"),
        Map.entry("rowseal.keystore.active", "k2"), Map.entry("rowseal.keystore.password-env", "ROWSEAL_PW"));
  }

  @Test
  void rowSeal_unknownKey_failsAtStartNamingIt() throws Exception {
    runner.withPropertyValues(keystore())
        .withPropertyValues("rowseal.keystore.colour=blue", "rowseal.tables.t.id=id", "rowseal.tables.t.columns.c=string")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("unknown RowSeal setting rowseal.keystore.colour"));
  }

  @Test
  void rowSeal_hierarchicalModeWithoutAnyDatabaseUrl_failsNamingBothWaysToGiveOne() throws Exception {
    runner.withPropertyValues(keystore())
        .withPropertyValues("rowseal.mode=hierarchical", "rowseal.tables.t.id=id", "rowseal.tables.t.columns.c=string")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("set rowseal.kek.jdbc-url").hasStackTraceContaining("or spring.datasource.url"));
  }

  @Test
  void configurationMetadata_describesEverySettingTheLoaderKnows() throws Exception {
    String json;
    try (java.io.InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String properties = json.substring(json.indexOf("\"properties\""), json.indexOf("\"hints\""));
    java.util.Set<String> described = new java.util.TreeSet<>();
    java.util.regex.Matcher names = java.util.regex.Pattern.compile("\"name\": \"([^\"]+)\"").matcher(properties);
    while (names.find()) {
      described.add(names.group(1));
    }

    assertThat(described).containsAll(io.rowseal.config.RowSealConfiguration.settings());
    described.removeAll(io.rowseal.config.RowSealConfiguration.settings());
    assertThat(described).containsExactlyInAnyOrder("rowseal.enabled", "rowseal.tables");
  }

  @Test
  void dataSourceBean_wrappedOnce_alreadyWrappedBeanLeftAsItIs() throws Exception {
    RowSeal own = RowSeal.builder().keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:own"), new byte[32])))
        .table(EncryptedTable.builder("t").idColumns("id").column("c", String.class).build()).build();
    RowSealDataSource preWrapped = RowSealDataSource.wrap(new SimpleDriverDataSource(), own);
    runner.withPropertyValues(keystore())
        .withPropertyValues("rowseal.tables.t.id=id", "rowseal.tables.t.columns.c=string")
        .withBean("plain", DataSource.class, SimpleDriverDataSource::new)
        .withBean("already", DataSource.class, () -> preWrapped)
        .run(context -> {
          assertThat(context).hasNotFailed();
          DataSource plain = context.getBean("plain", DataSource.class);
          assertThat(plain).isInstanceOf(RowSealDataSource.class);
          assertThat(((RowSealDataSource) plain).rowSeal()).isSameAs(context.getBean(RowSeal.class));
          assertThat(plain.unwrap(SimpleDriverDataSource.class).isWrapperFor(RowSealDataSource.class)).isFalse();
          assertThat(context.getBean("already", DataSource.class)).isSameAs(preWrapped);
          assertThat(context.getBean(RowSealDataSourceWrapper.class).wrappedBeanNames()).containsExactly("plain");
        });
  }

  @Test
  void applicationRowSealBean_usedToWrap_propertiesNotRead() {
    RowSeal own = RowSeal.builder().keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:own"), new byte[32])))
        .table(EncryptedTable.builder("t").idColumns("id").column("c", String.class).build()).build();
    runner.withBean(RowSeal.class, () -> own)
        .withBean("dataSource", DataSource.class, SimpleDriverDataSource::new)
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(RowSealProperties.class);
          assertThat(((RowSealDataSource) context.getBean(DataSource.class)).rowSeal()).isSameAs(own);
          Health health = context.getBean(RowSealHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("keys", Map.of("local:own", "in memory"));
        });
  }

  @Test
  void disabled_noRowSealNoWrapping() {
    runner.withPropertyValues("rowseal.enabled=false")
        .withBean("dataSource", DataSource.class, SimpleDriverDataSource::new)
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(RowSeal.class);
          assertThat(context.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
        });
  }

  @Test
  void health_keystoreRemoved_downNamingEachLocalKey() throws Exception {
    runner.withPropertyValues(keystore())
        .withPropertyValues("rowseal.tables.t.id=id", "rowseal.tables.t.columns.c=string")
        .run(context -> {
          RowSealHealthIndicator indicator = context.getBean(RowSealHealthIndicator.class);
          assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

          Files.delete(dir.resolve("rowseal.p12"));
          Health down = indicator.health();

          assertThat(down.getStatus()).isEqualTo(Status.DOWN);
          @SuppressWarnings("unchecked")
          Map<String, String> keys = (Map<String, String>) down.getDetails().get("keys");
          assertThat(keys).containsOnlyKeys("local:k1", "local:k2");
          assertThat(keys.get("local:k1")).contains("does not exist");
          assertThat(down.toString()).doesNotContain(Keystores.PASSWORD);
        });
  }

  @Test
  void health_keystoreLosesAKey_downNamingThatKey() throws Exception {
    runner.withPropertyValues(keystore())
        .withPropertyValues("rowseal.tables.t.id=id", "rowseal.tables.t.columns.c=string")
        .run(context -> {
          Keystores.create(dir.resolve("rowseal.p12"), "k1");
          Health down = context.getBean(RowSealHealthIndicator.class).health();

          assertThat(down.getStatus()).isEqualTo(Status.DOWN);
          assertThat(down.getDetails()).containsEntry("keys", Map.of("local:k1", "available",
              "local:k2", "no longer in the keystore (entry 'k2' missing)"));
        });
  }

  @Test
  void health_kmsKeyDisabled_downWithItsStateThenUpWhenEnabled() {
    String arn = kms.createKey();
    runner.withBean(io.micrometer.core.instrument.MeterRegistry.class,
            io.micrometer.core.instrument.simple.SimpleMeterRegistry::new)
        .withPropertyValues("rowseal.kms.keys=" + arn, "rowseal.kms.endpoint=" + kms.endpoint(),
            "rowseal.kms.region=" + kms.region(), "rowseal.kms.retry-budget=15s",
            "rowseal.tables.t.id=id", "rowseal.tables.t.columns.c=string")
        .run(context -> {
          assertThat(context).hasNotFailed();
          // the KMS key built from the properties reports its calls (DescribeKey at start) to the application
          assertThat(context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
              .find("rowseal.kms.calls").tag("operation", "DescribeKey").counter())
              .as("rowseal.kms.calls{operation=DescribeKey}").isNotNull();
          RowSealHealthIndicator indicator = context.getBean(RowSealHealthIndicator.class);
          assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

          kms.disableKey(arn);
          try {
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("keys", Map.of("aws-kms:" + arn, "Disabled"))
                .containsEntry("activeKey", "aws-kms:" + arn);
          } finally {
            kms.enableKey(arn);
          }
          assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        });
  }
}
