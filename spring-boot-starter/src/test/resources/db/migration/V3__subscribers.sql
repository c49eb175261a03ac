-- a table with two searchable encrypted columns: a full-length UNIQUE e-mail index and a 16-bit phone index,
-- each with its rotation column
create table subscribers (
  id             bigint primary key,
  email          varchar(400),
  email_idx      bytea unique,
  email_idx_next bytea unique,
  phone          bytea,
  phone_idx      bytea,
  phone_idx_next bytea,
  rowseal_dek    bytea
);
