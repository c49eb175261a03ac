-- RowSeal search indexes: index keys, one per (table, column, version), each wrapped by a master key
-- (see IndexKeyStore's Javadoc and docs/FORMAT.md section 7).
CREATE TABLE rowseal_index_key (
  table_name    VARCHAR(255) NOT NULL,
  column_name   VARCHAR(255) NOT NULL,
  key_version   INT          NOT NULL,
  index_column  VARCHAR(255) NOT NULL,
  state         VARCHAR(16)  NOT NULL,
  wrapped_key   BYTEA        NOT NULL,
  created_at_ms BIGINT       NOT NULL,
  changed_at_ms BIGINT       NOT NULL,
  PRIMARY KEY (table_name, column_name, key_version)
);
