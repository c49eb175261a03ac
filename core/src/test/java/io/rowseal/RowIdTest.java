package io.rowseal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.key.WrapContext;
import org.junit.jupiter.api.Test;

/** The canonical rendering of row ids, and the rule that a row-bound id is never empty. */
class RowIdTest {

  @Test
  void of_emptyString_throwsBecauseItsAadEqualsAnUnboundRows() {
    assertThatThrownBy(() -> RowId.of("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("may not be empty");
    assertThatThrownBy(() -> RowId.of((Object) "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rowBoundWrapContext_emptyRowId_throws() {
    assertThatThrownBy(() -> WrapContext.rowBound("cards", "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void composite_withAnEmptyPart_isNotEmpty() {
    RowId id = RowId.composite("", "eu");
    assertThat(id.value()).isEqualTo("00000000000000026575");
    assertThat(id.isBound()).isTrue();
  }

  @Test
  void of_blankString_isKeptAsItIs() {
    assertThat(RowId.of(" ").value()).isEqualTo(" ");
  }
}
