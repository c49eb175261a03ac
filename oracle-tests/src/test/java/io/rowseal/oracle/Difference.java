package io.rowseal.oracle;

/** One way the wrapper's behaviour was neither identical to plaintext nor a clean refusal. */
record Difference(String caseName, OracleDb db, OracleCase.Api api, String reason) {
  private static final int MAX_REASON = 600;

  Difference {
    reason = reason.replace('\n', ' ');
    if (reason.length() > MAX_REASON) {
      reason = reason.substring(0, MAX_REASON) + "...";
    }
  }

  @Override
  public String toString() {
    return caseName + " | " + db.key() + " | " + api.name().toLowerCase(java.util.Locale.ROOT) + " | " + reason;
  }
}
