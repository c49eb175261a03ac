-- The demo's schema, on H2 and PostgreSQL (${binary} is varbinary or bytea).
-- Encrypted columns are binary (or text for holder_name, stored as "rs1:" + Base64); each encrypted table
-- has a companion column, rowseal_dek, holding the row's wrapped data key.
create sequence customer_ids start with 1 increment by 50;
create sequence card_ids start with 1 increment by 50;

create table customers (
  id          bigint primary key,
  name        ${binary},
  national_id ${binary},
  rowseal_dek ${binary}
);

create table cards (
  id          bigint primary key,
  customer_id bigint not null references customers (id),
  card_number ${binary},
  holder_name varchar(400),
  cvv         ${binary},
  version     bigint not null,
  rowseal_dek ${binary}
);
