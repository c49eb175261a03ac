-- SQL that mybatis sends for ordinary operations on an encrypted table, h2.
-- Recorded above RowSealDataSource by FrameworkSqlCaptureTest; distinct statements in first-use order.
-- Table: cards (id bigint primary key, card_number binary encrypted, holder varchar encrypted as text, note varchar, amount decimal(12,2), rowseal_dek binary companion); schema PUBLIC.
insert into cards (id, card_number, holder, note, amount) values (?, ?, ?, ?, ?);
select id, card_number, holder, note, amount from cards where id = ?;
update cards set card_number = ?, holder = ?, note = ?, amount = ? where id = ?;
delete from cards where id = ?;
select id, card_number, holder, note, amount from cards order by id limit ? offset ?;
