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

  /** A numeric id is written straight into its encoding; it must be byte for byte the string path's. */
  @Test
  void of_long_encodesExactlyAsItsDecimalString() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(13);
    java.util.List<Long> ids = new java.util.ArrayList<>(java.util.List.of(0L, 1L, -1L, 9L, 10L, -10L, 99L, 100L,
        999_999_999L, 1_000_000_000L, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE,
        Long.MIN_VALUE, Long.MIN_VALUE + 1, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE));
    for (int i = 0; i < 10_000; i++) {
      ids.add(random.nextLong() >> random.nextInt(64));
      ids.add((long) random.nextInt(Integer.MAX_VALUE) >> random.nextInt(31)); // the int fast path, every length
    }
    long power = 1;
    for (int k = 0; k <= 18; k++, power *= 10) { // each digit count's edges, both signs, up to 10^18
      ids.addAll(java.util.List.of(power - 1, power, power + 1, -power, -power + 1, power * 2 - 1, power * 9));
    }
    ids.addAll(java.util.List.of((long) Integer.MAX_VALUE - 1, (long) Integer.MAX_VALUE + 1));
    for (long id : ids) {
      String text = Long.toString(id);
      RowId numeric = RowId.of(id);
      RowId viaString = RowId.of(text);
      assertThat(numeric.aadPart()).as("ctx of %s", text).isEqualTo(viaString.aadPart())
          .isEqualTo(io.rowseal.internal.ContextEncoding.encode(text));
      assertThat(numeric.value()).isEqualTo(text);
      assertThat(numeric).isEqualTo(viaString).hasSameHashCodeAs(viaString).hasToString(text);
      assertThat(RowId.of((Object) id)).isEqualTo(numeric);
      assertThat(RowId.of((Object) (int) id)).isEqualTo(RowId.of((long) (int) id));
    }
    assertThat(RowId.of(7L)).isNotEqualTo(RowId.of(70L)).isNotEqualTo(RowId.unbound());
  }
}
