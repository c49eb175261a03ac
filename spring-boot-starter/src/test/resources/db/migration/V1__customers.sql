create sequence customers_seq start with 1 increment by 50;

create table customers (
  id          bigint primary key,
  name        bytea,
  national_id varchar(255),
  city        varchar(100),
  version     bigint not null,
  rowseal_dek bytea
);

create index customers_city on customers (city);
