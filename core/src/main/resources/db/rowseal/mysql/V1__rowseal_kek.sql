-- RowSeal hierarchical mode: key-encryption keys, each wrapped by a master key (see KekStore's Javadoc).
CREATE TABLE rowseal_kek (
  id             VARCHAR(36) NOT NULL PRIMARY KEY,
  wrapped_kek    VARBINARY(1024) NOT NULL,
  created_at_ms  BIGINT      NOT NULL,
  wraps_reserved BIGINT      NOT NULL
);
CREATE INDEX rowseal_kek_created ON rowseal_kek (created_at_ms);
