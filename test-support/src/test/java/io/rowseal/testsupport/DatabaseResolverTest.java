package io.rowseal.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.rowseal.testsupport.DatabaseResolver.Candidate;
import io.rowseal.testsupport.DatabaseResolver.Resolved;
import io.rowseal.testsupport.TestDatabases.DockerStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DatabaseResolverTest {

  private static final Supplier<DockerStatus> NO_DOCKER =
      () -> new DockerStatus(false, "no daemon in this test");
  private static final String CLOSED_PG = "jdbc:postgresql://127.0.0.1:1/test";
  private static final String CLOSED_MARIADB = "jdbc:mariadb://127.0.0.1:1/test";

  @Test
  void resolve_onlyUnreachablePostgresCandidates_messageExplainsHowToProvideOne() {
    Map<String, String> env = Map.of(
        "ROWSEAL_TEST_POSTGRES_URL", CLOSED_PG + "?password=hunter2",
        "ROWSEAL_TEST_POSTGRES_PASSWORD", "s3cret-pw");
    List<Candidate> candidates =
        TestDatabases.candidates(DatabaseKind.POSTGRES, env, NO_DOCKER, CLOSED_PG);

    long start = System.nanoTime();
    assertThatThrownBy(() -> TestDatabases.resolve(DatabaseKind.POSTGRES, candidates))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("No PostgreSQL database is available")
        .hasMessageContaining("Docker")
        .hasMessageContaining("ROWSEAL_TEST_POSTGRES_URL")
        .hasMessageContaining("ROWSEAL_TEST_POSTGRES_USER")
        .hasMessageContaining("127.0.0.1:5432 with a database 'test'")
        .hasMessageContaining("Testcontainers postgres:15-alpine: Docker is not available")
        .hasMessageContaining("ROWSEAL_TEST_POSTGRES_URL: " + CLOSED_PG + "?password=****")
        .hasMessageContaining("local default: " + CLOSED_PG + " (user postgres)")
        .message().doesNotContain("hunter2").doesNotContain("s3cret-pw");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void resolve_onlyUnreachableMariadbCandidates_messageExplainsHowToProvideOne() {
    List<Candidate> candidates = TestDatabases.candidates(DatabaseKind.MARIADB,
        Map.of("ROWSEAL_TEST_MARIADB_URL", CLOSED_MARIADB), NO_DOCKER, CLOSED_MARIADB);

    assertThatThrownBy(() -> TestDatabases.resolve(DatabaseKind.MARIADB, candidates))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Docker")
        .hasMessageContaining("ROWSEAL_TEST_MARIADB_URL")
        .hasMessageContaining("127.0.0.1:3306 with a database 'test'")
        .hasMessageContaining("local default: " + CLOSED_MARIADB + " (user root)");
  }

  @Test
  void resolve_envUrlNotSet_saysSoAndFallsBackToLocalDefault() {
    Resolved resolved = TestDatabases.resolve(DatabaseKind.POSTGRES, TestDatabases.candidates(
        DatabaseKind.POSTGRES, Map.of(), NO_DOCKER, "jdbc:postgresql://127.0.0.1:5432/test"));

    assertThat(resolved.description())
        .isEqualTo("local default: jdbc:postgresql://127.0.0.1:5432/test (user postgres)");
  }

  @Test
  void resolve_envUrlReachable_isPreferredOverLocalDefaultAndRedacted() {
    Map<String, String> env = Map.of("ROWSEAL_TEST_POSTGRES_URL",
        "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=hunter2");

    Resolved resolved = TestDatabases.resolve(DatabaseKind.POSTGRES,
        TestDatabases.candidates(DatabaseKind.POSTGRES, env, NO_DOCKER, CLOSED_PG));

    assertThat(resolved.description())
        .startsWith("ROWSEAL_TEST_POSTGRES_URL: ")
        .contains("(user from URL)")
        .doesNotContain("hunter2");
  }

  @Test
  void resolve_firstCandidateWorks_laterCandidatesAreNotOpened() {
    Candidate works = new Candidate("h2",
        () -> new Resolved(TestDatabases.h2(TestDatabases.uniqueName("r")), "h2 fixture"), "");
    Candidate never = new Candidate("never", () -> fail("must not be opened"), "");

    Resolved resolved = DatabaseResolver.resolve("H2", List.of(works, never), "n/a");

    assertThat(resolved.description()).isEqualTo("h2 fixture");
  }

  @Test
  void resolve_noCandidates_throwsWithInstructions() {
    assertThatThrownBy(() -> DatabaseResolver.resolve("X", List.of(), "Do this."))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Do this.")
        .hasMessageContaining("(none)");
  }

  @Test
  void dockerStatus_anyEnvironment_answersWellBeforeProbeTimeout() {
    // Guards against the probe blocking on its own class initialisation (which made the first
    // postgres() call wait for the full probe timeout) or Testcontainers hanging without a daemon.
    long start = System.nanoTime();
    DockerStatus status = TestDatabases.dockerStatus();
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

    assertThat(status.detail()).isNotBlank();
    assertThat(millis).isLessThan(TestDatabases.DOCKER_PROBE_TIMEOUT_SECONDS * 1000 / 2);
  }

  @Test
  void redact_urlWithPasswords_removesThem() {
    assertThat(DatabaseResolver.redact("jdbc:postgresql://h/db?user=a&password=x1&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=a&password=****&ssl=true");
    assertThat(DatabaseResolver.redact("jdbc:mariadb://bob:x1@h:3306/db"))
        .isEqualTo("jdbc:mariadb://bob:****@h:3306/db");
    assertThat(DatabaseResolver.redact("jdbc:h2:mem:a;PASSWORD=x1;USER=sa"))
        .isEqualTo("jdbc:h2:mem:a;PASSWORD=****;USER=sa");
    assertThat(DatabaseResolver.redact("jdbc:postgresql://127.0.0.1:5432/test"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
  }
}
