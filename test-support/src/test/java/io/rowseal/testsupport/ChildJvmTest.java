package io.rowseal.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildJvmTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void awaitLines_countsMatchingLinesInOrder_returnsTheLastOne() throws Exception {
    try (ChildJvm child = ChildJvm.start(EchoChild.class, Map.of(), "page 1", "x", "page 2", "page 3")) {
      assertThat(child.awaitLines(l -> l.startsWith("page "), 2, WAIT)).isEqualTo("page 2");
      assertThat(child.awaitLines(l -> l.startsWith("page "), 1, WAIT)).isEqualTo("page 3");
      assertThat(child.awaitExit(WAIT)).isZero();
      assertThat(child.finished()).isTrue();
      assertThat(child.lastLine("page ")).isEqualTo("3");
      assertThat(child.count("page ")).isEqualTo(3);
    }
  }

  @Test
  void awaitLines_childExitsFirst_returnsNull() throws Exception {
    try (ChildJvm child = ChildJvm.start(EchoChild.class, Map.of(), "a")) {
      assertThat(child.awaitLines("never"::equals, 1, WAIT)).isNull();
      assertThat(child.output()).containsExactly(ChildJvm.STARTED, "a", ChildJvm.DONE);
    }
  }

  @Test
  void kill_whileRunning_childEndsUnfinished() throws Exception {
    try (ChildJvm child = ChildJvm.start(EchoChild.class, Map.of(), "wait", "never printed")) {
      child.awaitLines("waiting"::equals, 1, WAIT);
      child.kill();
      assertThat(child.awaitExit(Duration.ofSeconds(1))).isNotZero();
      assertThat(child.finished()).isFalse();
      assertThat(child.output()).doesNotContain("never printed");
    }
  }

  @Test
  void awaitLines_timeout_killsTheChildAndFailsWithItsOutput() throws Exception {
    try (ChildJvm child = ChildJvm.start(EchoChild.class, Map.of(), "wait")) {
      assertThatThrownBy(() -> child.awaitLines("never"::equals, 1, Duration.ofMillis(300)))
          .isInstanceOf(AssertionError.class).hasMessageContaining("waiting");
      assertThat(child.awaitExit(Duration.ofSeconds(1))).isNotZero();
    }
  }

  @Test
  void start_withChildDatabase_childReachesTheDatabase() throws Exception {
    try (ChildJvm child = ChildJvm.start(EchoChild.class, ChildDatabase.environment(TestDatabases.postgres()), "db")) {
      assertThat(child.awaitExit(WAIT)).as("%s", child.output()).isZero();
      assertThat(child.lastLine("db ")).isEqualTo("7");
    }
  }
}
