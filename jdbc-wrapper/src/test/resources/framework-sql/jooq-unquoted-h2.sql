-- SQL that jooq-unquoted sends for ordinary operations on an encrypted table, h2.
-- Recorded above RowSealDataSource by FrameworkSqlCaptureTest; distinct statements in first-use order.
-- Table: cards (id bigint primary key, card_number binary encrypted, holder varchar encrypted as text, note varchar, amount decimal(12,2), rowseal_dek binary companion); schema PUBLIC.
insert into PUBLIC.CARDS (ID, CARD_NUMBER, HOLDER, NOTE, AMOUNT) values (?, ?, ?, ?, ?);
select PUBLIC.CARDS.ID, PUBLIC.CARDS.CARD_NUMBER, PUBLIC.CARDS.HOLDER, PUBLIC.CARDS.NOTE, PUBLIC.CARDS.AMOUNT from PUBLIC.CARDS where PUBLIC.CARDS.ID = cast(? as bigint);
select * from PUBLIC.CARDS where PUBLIC.CARDS.ID = cast(? as bigint);
select PUBLIC.CARDS.ID, PUBLIC.CARDS.CARD_NUMBER, PUBLIC.CARDS.HOLDER, PUBLIC.CARDS.NOTE, PUBLIC.CARDS.AMOUNT from PUBLIC.CARDS order by PUBLIC.CARDS.ID offset ? rows fetch next ? rows only;
update PUBLIC.CARDS set PUBLIC.CARDS.CARD_NUMBER = ?, PUBLIC.CARDS.HOLDER = ?, PUBLIC.CARDS.NOTE = ?, PUBLIC.CARDS.AMOUNT = ? where PUBLIC.CARDS.ID = cast(? as bigint);
delete from PUBLIC.CARDS where PUBLIC.CARDS.ID = cast(? as bigint);
