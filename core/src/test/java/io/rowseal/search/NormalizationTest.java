package io.rowseal.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.StorageForm;
import org.junit.jupiter.api.Test;

class NormalizationTest {
  @Test
  void apply_eachNormalisation_documentedSemantics() {
    assertThat(Normalization.NONE.apply(" A b ")).isEqualTo(" A b ");
    assertThat(Normalization.LOWERCASE.apply("ÉLAN İ A@X.COM")).isEqualTo("élan i̇ a@x.com");
    assertThat(Normalization.TRIM.apply("  a b \t ")).isEqualTo("a b \t");
    assertThat(Normalization.TRIM.apply("   ")).isEmpty();
    assertThat(Normalization.LOWERCASE_TRIM.apply("  A@X.COM  ")).isEqualTo("a@x.com");
    assertThat(Normalization.DIGITS.apply("+33 (0)1-23 ٣")).isEqualTo("330123");
  }

  @Test
  void parse_configNames_andUnknownNamesTheKey() {
    assertThat(Normalization.parse("k", "lowercase-trim")).isEqualTo(Normalization.LOWERCASE_TRIM);
    assertThat(Normalization.parse("k", " Digits ")).isEqualTo(Normalization.DIGITS);
    assertThatThrownBy(() -> Normalization.parse("rowseal.tables.t.search.c.normalize", "upper"))
        .hasMessageContaining("rowseal.tables.t.search.c.normalize").hasMessageContaining("lowercase-trim");
  }

  @Test
  void build_normalisationOnNonString_isRejected() {
    assertThatThrownBy(() -> EncryptedTable.builder("t").idColumns("id").column("n", Long.class)
        .search("n", SearchIndex.in("n_idx").normalize(Normalization.DIGITS)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("t").hasMessageContaining("only to String");
  }

  @Test
  void build_indexColumnClashesOrUnknownColumn_isRejected() {
    assertThatThrownBy(() -> EncryptedTable.builder("t").idColumns("id").column("a", String.class)
        .search("a", SearchIndex.in("id")).build()).hasMessageContaining("already used");
    assertThatThrownBy(() -> EncryptedTable.builder("t").idColumns("id").column("a", String.class)
        .column("b", String.class).search("a", SearchIndex.in("x")).search("b", SearchIndex.in("x_next")).build())
        .hasMessageContaining("already used");
    assertThatThrownBy(() -> EncryptedTable.builder("t").idColumns("id").column("a", String.class)
        .search("zz", SearchIndex.in("x")).build()).hasMessageContaining("not an encrypted column");
    assertThatThrownBy(() -> SearchIndex.in("x").bits(7)).hasMessageContaining("8..256");
    assertThatThrownBy(() -> SearchIndex.in("x").bits(257)).hasMessageContaining("8..256");
  }

  @Test
  void table_indexedBy_findsIndexAndRotationColumns() {
    EncryptedTable t = EncryptedTable.builder("t").idColumns("id").column("email", String.class, StorageForm.TEXT)
        .search("email", SearchIndex.in("email_idx").bits(64)).build();
    assertThat(t.indexedBy("EMAIL_IDX")).isSameAs(t.column("email"));
    assertThat(t.indexedBy("email_idx_next")).isSameAs(t.column("email"));
    assertThat(t.indexedBy("email")).isNull();
    assertThat(t.searchableColumns()).containsExactly(t.column("email"));
  }
}
