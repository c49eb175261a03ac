package io.rowseal.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedColumn;
import io.rowseal.EncryptedTable;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.search.IndexKeyVersion;
import io.rowseal.search.IndexView;
import io.rowseal.Normalization;
import io.rowseal.SearchIndex;
import io.rowseal.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The index-key rotation job on H2 and PostgreSQL: a whole rotation, a second one back into the index column,
 * a rerun from every phase (what a SIGKILL leaves), dry run, the waits between phases (fake clock), a missing
 * rotation column and a row that does not decrypt. The online rotation under concurrent writers, killed with
 * SIGKILL, is jdbc-wrapper's ReindexCrashTest.
 */
class ReindexJobTest {
  private static final int ROWS = 120;
  private static final KeyRing RING =
      KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), io.rowseal.internal.Randomness.nextBytes(32)));

  private final AtomicLong millis = new AtomicLong(1_000_000);
  private final List<Duration> slept = new ArrayList<>();

  private DataSource ds;
  private EncryptedTable table;
  private EncryptedColumn email;
  private IndexKeyStore store;
  private RowSeal rowSeal;

  private void setUp(String kind, Duration stateTtl) throws SQLException {
    String name = TestDatabases.uniqueName("reidx");
    ds = kind.equals("h2") ? TestDatabases.h2(name) : TestDatabases.postgresSchemaDroppedAtExit("reidx");
    String bin = kind.equals("h2") ? "varbinary(40)" : "bytea";
    exec("create table customers (id bigint primary key, email varchar(400), rowseal_dek "
        + (kind.equals("h2") ? "varbinary(200)" : "bytea")
        + ", email_idx " + bin + " unique, email_idx_next " + bin + " unique)");
    table = EncryptedTable.builder("customers").idColumns("id").column("email", String.class, StorageForm.TEXT)
        .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE)).build();
    email = table.column("email");
    store = IndexKeyStore.builder(ds, RING).stateTtl(stateTtl).clock(clock()).build();
    store.migrate();
    rowSeal = RowSeal.builder().keyRing(RING).table(table).build();
    IndexView view = store.view(email);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("insert into customers (id, email, rowseal_dek, email_idx) values (?, ?, ?, ?)")) {
      for (long id = 1; id <= ROWS; id++) {
        ps.setLong(1, id);
        if (id % 10 == 0) {
          ps.setNull(2, java.sql.Types.VARCHAR);
          ps.setNull(3, java.sql.Types.VARBINARY);
          ps.setNull(4, java.sql.Types.VARBINARY);
        } else {
          try (RowKey key = rowSeal.newRowKey(table, RowId.of(id))) {
            ps.setString(2, (String) key.encrypt(email, address(id)));
            ps.setBytes(3, key.companion());
            ps.setBytes(4, view.writeValue("email_idx", address(id)));
          }
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private Clock clock() {
    return new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
      }
    };
  }

  private ReindexJob.Builder job() {
    return ReindexJob.builder(ds, rowSeal, table).indexKeys(store).batchSize(17).workers(2).phaseMargin(Duration.ZERO).clock(clock())
        .sleeper(d -> {
          slept.add(d);
          millis.addAndGet(d.toMillis());
        });
  }

  private static String address(long id) {
    return "User" + id + "@Example.COM";
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_fromOneActiveVersion_movesEveryRowToVersion2InTheRotationColumnAndRetiresVersion1(String kind)
      throws Exception {
    setUp(kind, Duration.ZERO);

    ReindexReport report = job().build().run();

    assertThat(report.isComplete()).as("%s", report).isTrue();
    ReindexReport.ColumnResult r = report.columns().get(0);
    assertThat(r.fill().orElseThrow().written()).isEqualTo(ROWS - ROWS / 10);
    assertThat(r.fill().orElseThrow().keyOperations()).isEqualTo(ROWS - ROWS / 10);
    assertThat(r.clear().orElseThrow().written()).isEqualTo(ROWS - ROWS / 10);
    assertThat(states()).containsExactly("1 email_idx RETIRED", "2 email_idx_next ACTIVE");
    assertThat(perVersion(r)).containsExactly(Map.entry(1, 0L), Map.entry(2, (long) ROWS - ROWS / 10));
    assertEveryRowIndexedIn("email_idx_next", "email_idx");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_twice_secondRotationWritesVersion3BackIntoTheIndexColumn(String kind) throws Exception {
    setUp(kind, Duration.ZERO);

    job().build().run();
    ReindexReport second = job().build().run();

    assertThat(second.isComplete()).isTrue();
    assertThat(states()).containsExactly("1 email_idx RETIRED", "2 email_idx_next RETIRED", "3 email_idx ACTIVE");
    assertEveryRowIndexedIn("email_idx", "email_idx_next");
  }

  @Test
  void run_afterEachPhaseAKilledRunLeft_continuesThatRotationToTheEnd() throws Exception {
    setUp("h2", Duration.ZERO);
    // phase 1: a run killed right after adding the version
    store.startRotation(email);
    ReindexReport fromPending = job().build().run();
    assertThat(fromPending.isComplete()).isTrue();
    assertThat(fromPending.columns().get(0).steps()).noneMatch(s -> s.contains("added version"));
    assertThat(states()).containsExactly("1 email_idx RETIRED", "2 email_idx_next ACTIVE");

    // phase 2 with half the rows filled: a run killed in the middle of the fill pass
    store.startRotation(email);
    store.activate(email, 3);
    IndexView view = store.view(email);
    IndexKeyVersion v3 = view.versions().get(2);
    fillSome(view, v3, "email_idx");
    ReindexReport fromFill = job().build().run();
    assertThat(fromFill.isComplete()).isTrue();
    assertThat(fromFill.columns().get(0).fill().orElseThrow().written()).isEqualTo(ROWS - ROWS / 10 - 54);
    assertThat(states()).endsWith("2 email_idx_next RETIRED", "3 email_idx ACTIVE");
    assertEveryRowIndexedIn("email_idx", "email_idx_next");
  }

  @Test
  void run_fromReadOnlyPhaseWithSomeRowsCleared_clearsTheRestAndRetires() throws Exception {
    setUp("h2", Duration.ZERO);
    store.startRotation(email);
    store.activate(email, 2);
    IndexView view = store.view(email);
    // the fill pass finished (done here by hand), v1 stopped, and a killed clear pass cleared part of email_idx
    IndexKeyVersion v2 = store.view(email).versions().get(1);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from customers where email is not null and email_idx_next is null")) {
      List<Long> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
      for (long id : ids) {
        setIndex(c, "email_idx_next", id, view.compute(v2, address(id)));
      }
    }
    store.stopWriting(email, 1);
    exec("update customers set email_idx = null where id < 60");

    ReindexReport report = job().build().run();

    assertThat(report.isComplete()).isTrue();
    assertThat(report.columns().get(0).fill()).isEmpty();
    assertThat(report.columns().get(0).clear().orElseThrow().written()).isEqualTo(ROWS - ROWS / 10 - 54);
    assertThat(states()).containsExactly("1 email_idx RETIRED", "2 email_idx_next ACTIVE");
    assertEveryRowIndexedIn("email_idx_next", "email_idx");
  }

  @Test
  void run_waitsBetweenPhasesForTheStateTtlMeasuredFromTheRecordedChange() throws Exception {
    setUp("h2", Duration.ofSeconds(30));

    ReindexReport report = job().phaseMargin(Duration.ofSeconds(5)).build().run();

    assertThat(report.isComplete()).isTrue();
    // pending -> active, active -> fill, read-only -> clear: each waits the whole 35 s (the fake clock only
    // moves while the job sleeps)
    assertThat(slept).containsExactly(Duration.ofSeconds(35), Duration.ofSeconds(35), Duration.ofSeconds(35));
    assertThat(report.columns().get(0).steps()).anyMatch(s -> s.contains("waiting 35.0 s"));
  }

  @Test
  void run_rerunAfterTheWaitHadPassed_doesNotWaitAgain() throws Exception {
    setUp("h2", Duration.ofSeconds(30));
    store.startRotation(email);
    millis.addAndGet(Duration.ofSeconds(40).toMillis()); // the killed run had waited already

    job().phaseMargin(Duration.ofSeconds(5)).build().run();

    assertThat(slept).hasSize(2); // only after activate and after stopWriting
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void run_dryRun_changesNothingAndSaysWhatItWouldDo(String kind) throws Exception {
    setUp(kind, Duration.ZERO);
    Map<Long, String> before = snapshot();

    ReindexReport report = job().dryRun(true).build().run();

    assertThat(report.isDryRun()).isTrue();
    assertThat(report.columns().get(0).steps()).singleElement().asString()
        .contains("would add version 2 in email_idx_next", "index " + (ROWS - ROWS / 10) + " rows");
    assertThat(states()).containsExactly("1 email_idx ACTIVE");
    assertThat(snapshot()).isEqualTo(before);

    store.startRotation(email);
    store.activate(email, 2);
    ReindexReport inFill = job().dryRun(true).build().run();
    assertThat(inFill.columns().get(0).fill().orElseThrow().wouldWrite()).isEqualTo(ROWS - ROWS / 10);
    assertThat(inFill.columns().get(0).fill().orElseThrow().keyOperations()).isZero();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(states()).containsExactly("1 email_idx ACTIVE", "2 email_idx_next ACTIVE");
  }

  @Test
  void run_withoutTheRotationColumn_failsNamingTheDdlAndChangesNothing() throws Exception {
    setUp("h2", Duration.ZERO);
    exec("alter table customers drop column email_idx_next");

    assertThatThrownBy(() -> job().build().run()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("customers.email").hasMessageContaining("email_idx_next")
        .hasMessageContaining("only once a rotation starts")
        .hasMessageContaining("ALTER TABLE customers ADD COLUMN email_idx_next binary varying(40)")
        .hasMessageContaining("CREATE UNIQUE INDEX customers_email_idx_next_key ON customers (email_idx_next)");
    assertThat(states()).containsExactly("1 email_idx ACTIVE");
  }

  @Test
  void run_rowThatDoesNotDecrypt_staysInPhaseWithBothVersionsLookedUpAndListsTheRow() throws Exception {
    setUp("h2", Duration.ZERO);
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("update customers set email = (select email from customers where id = 2)"
            + " where id = 3")) {
      ps.executeUpdate(); // row 2's ciphertext in row 3: fails authentication (bound to the row)
    }

    ReindexReport report = job().build().run();

    assertThat(report.isComplete()).isFalse();
    assertThat(report.failedRows()).isEqualTo(1);
    RowFailure failure = report.columns().get(0).fill().orElseThrow().failures().get(0);
    assertThat(failure.rowId()).isEqualTo("3");
    assertThat(failure.kind()).isEqualTo(RowFailure.Kind.VALUE_AUTHENTICATION_FAILED);
    assertThat(report.columns().get(0).steps()).last().asString().contains("1 rows not indexed");
    assertThat(states()).containsExactly("1 email_idx ACTIVE", "2 email_idx_next ACTIVE");
    assertThat(report.toString()).doesNotContain("Example");
  }

  @Test
  void builder_tableWithoutSearchableColumn_refused() throws Exception {
    setUp("h2", Duration.ZERO);
    EncryptedTable plain = EncryptedTable.builder("other").idColumns("id").column("x", String.class).build();
    assertThatThrownBy(() -> ReindexJob.builder(ds, rowSeal, plain)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no searchable column");
  }

  // ------------------------------------------------------------------ helpers

  /** Fills the index of 54 rows (ids 1..60, the non-NULL ones) the way a killed fill pass leaves them. */
  private void fillSome(IndexView view, IndexKeyVersion v, String column) throws SQLException {
    try (Connection c = ds.getConnection()) {
      for (long id = 1; id <= 60; id++) {
        if (id % 10 != 0) {
          setIndex(c, column, id, view.compute(v, address(id)));
        }
      }
    }
  }

  private static void setIndex(Connection c, String column, long id, byte[] value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("update customers set " + column + " = ? where id = ?")) {
      ps.setBytes(1, value);
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  /** Every row with an address holds its index of the active version in {@code live}, and NULL in {@code cleared}. */
  private void assertEveryRowIndexedIn(String live, String cleared) throws SQLException {
    store.refresh();
    IndexView view = store.view(email);
    int n = 0;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, " + live + ", " + cleared + " from customers order by id")) {
      while (rs.next()) {
        long id = rs.getLong(1);
        if (id % 10 == 0) {
          assertThat(rs.getBytes(2)).as("row %d", id).isNull();
        } else {
          assertThat(rs.getBytes(2)).as("row %d", id).isEqualTo(view.lookupValue(live, address(id).toLowerCase()));
          n++;
        }
        assertThat(rs.getBytes(3)).as("row %d", id).isNull();
      }
    }
    assertThat(n).isEqualTo(ROWS - ROWS / 10);
    assertThat(view.lookupVersion(cleared)).isNull();
  }

  private List<String> states() {
    store.refresh();
    List<String> out = new ArrayList<>();
    for (IndexKeyVersion v : store.versions(email)) {
      out.add(v.version() + " " + v.physicalColumn() + " " + v.state());
    }
    return out;
  }

  private static Map<Integer, Long> perVersion(ReindexReport.ColumnResult r) {
    Map<Integer, Long> out = new LinkedHashMap<>();
    r.rowsPerVersion().forEach((v, n) -> out.put(v.version(), n));
    return out;
  }

  private Map<Long, String> snapshot() throws SQLException {
    Map<Long, String> out = new LinkedHashMap<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, email, rowseal_dek, email_idx, email_idx_next from customers order by id")) {
      while (rs.next()) {
        out.put(rs.getLong(1), rs.getString(2) + "|" + Arrays.toString(rs.getBytes(3)) + "|"
            + Arrays.toString(rs.getBytes(4)) + "|" + Arrays.toString(rs.getBytes(5)));
      }
    }
    return out;
  }

  private void exec(String sql) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
