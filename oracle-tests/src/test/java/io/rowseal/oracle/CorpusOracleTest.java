package io.rowseal.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus ({@code corpus.txt}) through the differential oracle, on each database: every case with each of
 * its APIs. Fails with the list of every difference. See {@link OracleSettings} to run one database or case.
 */
class CorpusOracleTest {
  static final int MIN_CORPUS = 400;

  @Test
  void corpus_isLargeAndWellFormed() {
    List<OracleCase> cases = Corpus.load();
    assertTrue(cases.size() >= MIN_CORPUS, "corpus has " + cases.size() + " cases, want at least " + MIN_CORPUS);
    for (OracleCase c : cases) {
      assertTrue(!c.sql().isBlank(), c.name());
    }
  }

  @Test
  void sql_inlinesOnlyRealPlaceholders() {
    assertEquals("select '?', 'it''s' /* ? */ from t where a = 1 and b = 'x'",
        Sql.inline("select '?', ? /* ? */ from t where a = ? and b = ?", List.of("it's", 1L, "x")));
    assertTrue(Sql.hasTopLevelOrderBy("select * from (select 1 order by 1) t order by 1"));
    assertTrue(!Sql.hasTopLevelOrderBy("select row_number() over (order by id) from t"));
  }

  @TestFactory
  Stream<DynamicTest> corpus_onEachDatabase_identicalOrCleanlyRejected() {
    List<OracleCase> cases = Corpus.load();
    return OracleSettings.dbs().stream().map(db -> DynamicTest.dynamicTest("corpus on " + db.key(), () -> {
      long start = System.nanoTime();
      List<Difference> diffs = new ArrayList<>();
      int runs = 0;
      int casesRun = 0;
      int rebuilds;
      String outcomes;
      try (Copies copies = Copies.open(db)) {
        Oracle oracle = new Oracle(copies);
        for (String problem : oracle.seedProblems()) {
          diffs.add(new Difference("(seed)", db, OracleCase.Api.PREP, problem));
        }
        for (OracleCase c : cases) {
          if (!c.dbs().contains(db) || !OracleSettings.caseSelected(c.name())) {
            continue;
          }
          casesRun++;
          for (OracleCase.Api api : c.apis()) {
            if (!OracleSettings.apiSelected(api)) {
              continue;
            }
            runs++;
            diffs.addAll(oracle.run(c.name(), api, c.sql(), c.params(), c.batch(), c.update(), c.ordered()));
          }
        }
        rebuilds = oracle.rebuilds();
        outcomes = oracle.outcomes();
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      String title = "corpus on " + db.key();
      Report.section(title, List.of("cases: " + casesRun + " of " + cases.size() + ", runs: " + runs
          + ", rebuilds: " + rebuilds + ", seconds: " + seconds, "outcomes: " + outcomes), diffs);
      System.out.println(title + ": " + casesRun + " cases, " + runs + " runs, " + diffs.size() + " differences, "
          + seconds + " s");
      if (!diffs.isEmpty()) {
        fail(Report.failure(title, diffs));
      }
    }));
  }
}
