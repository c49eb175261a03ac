package io.rowseal.oracle;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Randomly generated statements ({@link Generator}) through the differential oracle: a fixed count per
 * database ({@code rowseal.oracle.generated}, default {@value OracleSettings#DEFAULT_GENERATED}) from a fixed,
 * logged seed ({@code rowseal.oracle.seed}). Each statement runs through one API (Statement or
 * PreparedStatement, chosen by the seed). A difference names its statement as {@code gen-<db>-<i>}; rerun it
 * alone with {@code -Drowseal.oracle.case=gen-pg-17$}.
 */
class GeneratedOracleTest {

  @TestFactory
  Stream<DynamicTest> generated_onEachDatabase_identicalOrCleanlyRejected() {
    int count = OracleSettings.generated();
    long seed = OracleSettings.seed();
    return OracleSettings.dbs().stream().map(db -> DynamicTest.dynamicTest("generated on " + db.key(), () -> {
      long start = System.nanoTime();
      List<Difference> diffs = new ArrayList<>();
      int generated = 0;
      int rebuilds;
      String outcomes;
      Generator generator = new Generator(db, seed);
      try (Copies copies = Copies.open(db)) {
        Oracle oracle = new Oracle(copies);
        for (int i = 0; i < count; i++) {
          String name = "gen-" + db.key() + "-" + i;
          if (!OracleSettings.caseSelected(name)) {
            continue;
          }
          Generator.Generated g = generator.generate(i);
          OracleCase.Api api = (i % 2 == 0) ? OracleCase.Api.PREP : OracleCase.Api.STMT;
          generated++;
          for (Difference d : oracle.run(name, api, g.sql(), g.params(), List.of(), null,
              Sql.hasTopLevelOrderBy(g.sql()))) {
            diffs.add(new Difference(d.caseName(), d.db(), d.api(), d.reason() + " -- SQL: " + g.sql()
                + (g.params().isEmpty() ? "" : " params " + g.params())));
          }
        }
        rebuilds = oracle.rebuilds();
        outcomes = oracle.outcomes();
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      String title = "generated on " + db.key();
      Report.section(title, List.of("seed: " + seed + ", generated: " + generated + ", rebuilds: " + rebuilds
          + ", seconds: " + seconds, "outcomes: " + outcomes), diffs);
      System.out.println(title + ": seed " + seed + ", " + generated + " statements, " + diffs.size()
          + " differences, " + seconds + " s");
      if (!diffs.isEmpty()) {
        fail(Report.failure(title, diffs));
      }
    }));
  }
}
