package io.rowseal.testsupport;

import javax.sql.DataSource;

/**
 * The child of {@link ChildJvmTest}: prints {@code started}, then one line per argument ({@code wait} blocks
 * forever, {@code db} prints what the handed-over database answers to {@code select 7}), then {@code done}.
 */
public final class EchoChild {
  private EchoChild() {}

  public static void main(String[] args) throws Exception {
    System.out.println(ChildJvm.STARTED);
    for (String arg : args) {
      if (arg.equals("wait")) {
        System.out.println("waiting");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
      } else if (arg.equals("db")) {
        DataSource ds = ChildDatabase.fromEnvironment();
        try (var c = ds.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("select 7")) {
          rs.next();
          System.out.println("db " + rs.getInt(1));
        }
      } else {
        System.out.println(arg);
      }
    }
    System.out.println(ChildJvm.DONE);
  }
}
