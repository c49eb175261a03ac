package io.rowseal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an encrypted table says about its own columns. */
class EncryptedTableTest {

  @Test
  void managedColumns_areTheCompanionTheEncryptedColumnsAndEveryIndexAndRotationColumn_notTheId() {
    EncryptedTable t = EncryptedTable.builder("customers").idColumns("id").companionColumn("dek")
        .column("email", String.class).column("card_number", String.class, StorageForm.TEXT)
        .search("email", SearchIndex.in("email_idx").rotationColumn("email_idx_v2")).build();

    assertThat(t.managedColumns()).containsExactly("dek", "email", "email_idx", "email_idx_v2", "card_number");
    assertThat(t.managedColumns()).doesNotContain("id");
  }

  @Test
  void managedColumns_ofATableWithoutSearch_areTheCompanionAndTheEncryptedColumns() {
    EncryptedTable t = EncryptedTable.builder("cards").idColumns("id").column("pan", String.class).build();

    assertThat(t.managedColumns()).containsExactly(EncryptedTable.DEFAULT_COMPANION_COLUMN, "pan");
  }
}
