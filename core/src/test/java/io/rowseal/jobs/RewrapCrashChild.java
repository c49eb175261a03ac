package io.rowseal.jobs;

import io.rowseal.EncryptedTable;
import io.rowseal.RowSeal;
import io.rowseal.internal.Hex;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import io.rowseal.key.MasterKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.rowseal.testsupport.ChildDatabase;
import io.rowseal.testsupport.ChildJvm;
import javax.sql.DataSource;

/**
 * The child process of {@link RewrapCrashTest}: runs one re-wrap of a table to the named key, printing
 * {@code started} just before the job starts, {@code page <rows re-wrapped so far>} after each committed page and
 * {@code done <report>} when it has finished. The parent kills it with SIGKILL at a random moment in between.
 *
 * <p>Arguments: key file (lines {@code alias hex}), table name, alias of the target key. The database is the
 * one the parent handed over with {@link ChildDatabase}, so no credential is on the command line.
 */
public final class RewrapCrashChild {
  private RewrapCrashChild() {}

  static EncryptedTable table(String name) {
    return EncryptedTable.builder(name).idColumns("id").column("card_number", String.class)
        .column("holder", String.class).build();
  }

  static KeyRing ring(Path keyFile, String activeAlias) throws Exception {
    List<MasterKey> keys = new ArrayList<>();
    MasterKey active = null;
    for (String line : Files.readAllLines(keyFile, StandardCharsets.US_ASCII)) {
      String[] parts = line.split(" ");
      byte[] bytes = Hex.decode(parts[1]);
      MasterKey key = AesGcmMasterKey.of(KeyRef.of("local:" + parts[0]), bytes);
      Arrays.fill(bytes, (byte) 0);
      keys.add(key);
      if (parts[0].equals(activeAlias)) {
        active = key;
      }
    }
    if (active == null) {
      throw new IllegalArgumentException("no key " + activeAlias + " in the key file");
    }
    return KeyRing.of(active, keys);
  }

  public static void main(String[] args) throws Exception {
    DataSource ds = ChildDatabase.fromEnvironment();
    EncryptedTable table = table(args[1]);
    RowSeal rowSeal = RowSeal.builder().keyRing(ring(Path.of(args[0]), args[2])).table(table).build();
    TableJob job = RewrapJob.builder(ds, rowSeal, table).batchSize(500).workers(2).countRowsFirst(false)
        .progress(r -> System.out.println("page " + r.written())).build();
    System.out.println(ChildJvm.STARTED);
    System.out.flush();
    JobReport report = job.run();
    System.out.println(ChildJvm.DONE + " " + report);
    System.out.flush();
    System.exit(report.isComplete() ? 0 : 3);
  }
}
