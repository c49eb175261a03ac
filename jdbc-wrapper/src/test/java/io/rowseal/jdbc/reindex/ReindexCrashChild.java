package io.rowseal.jdbc.reindex;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.StorageForm;
import java.util.HexFormat;
import io.rowseal.jobs.ReindexJob;
import io.rowseal.jobs.ReindexReport;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.search.IndexKeyStore;
import io.rowseal.Normalization;
import io.rowseal.SearchIndex;
import io.rowseal.testsupport.ChildDatabase;
import io.rowseal.testsupport.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import javax.sql.DataSource;

/**
 * The child process of {@link ReindexCrashTest}: runs (or continues) one index-key rotation of the test's table,
 * printing {@code started} before it starts, {@code step <line>} for each phase step, {@code page <rows>} after
 * each committed page and {@code done <complete>} at the end. The parent kills it with SIGKILL in between.
 *
 * <p>Arguments: key file (one line of hex), table, state TTL in ms, phase margin in ms. The database (a
 * PostgreSQL schema or a MariaDB database of its own) is the one the parent handed over with
 * {@link ChildDatabase}.
 */
public final class ReindexCrashChild {
  private ReindexCrashChild() {}

  static EncryptedTable table(String name) {
    return EncryptedTable.builder(name).idColumns("id").column("email", String.class, StorageForm.TEXT)
        .search("email", SearchIndex.in("email_idx").normalize(Normalization.LOWERCASE)).build();
  }

  static KeyRing ring(Path keyFile) throws Exception {
    byte[] key = HexFormat.of().parseHex(Files.readString(keyFile, StandardCharsets.US_ASCII).trim());
    try {
      return KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:crash"), key));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  static RowSeal rowSeal(KeyRing ring, EncryptedTable table) {
    return RowSeal.builder().keyRing(ring).table(table).build();
  }

  /** The index key store every process of the test uses: same table, same state TTL. */
  static IndexKeyStore store(DataSource ds, KeyRing ring, Duration stateTtl) {
    return IndexKeyStore.builder(ds, ring).stateTtl(stateTtl).build();
  }

  public static void main(String[] args) throws Exception {
    DataSource ds = ChildDatabase.fromEnvironment();
    EncryptedTable table = table(args[1]);
    KeyRing ring = ring(Path.of(args[0]));
    RowSeal rowSeal = rowSeal(ring, table);
    ReindexJob job = ReindexJob.builder(ds, rowSeal, table)
        .indexKeys(store(ds, ring, Duration.ofMillis(Long.parseLong(args[2])))).batchSize(100).workers(2)
        .phaseMargin(Duration.ofMillis(Long.parseLong(args[3])))
        .steps(line -> {
          System.out.println("step " + line);
          System.out.flush();
        })
        .progress(r -> {
          System.out.println("page " + r.written());
          System.out.flush();
        })
        .build();
    System.out.println(ChildJvm.STARTED);
    System.out.flush();
    ReindexReport report = job.run();
    System.out.println(ChildJvm.DONE + " " + report.isComplete());
    System.out.flush();
    System.exit(report.isComplete() ? 0 : 3);
  }
}
