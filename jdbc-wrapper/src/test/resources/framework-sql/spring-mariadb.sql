-- SQL that spring sends for ordinary operations on an encrypted table, mariadb.
-- Recorded above RowSealDataSource by FrameworkSqlCaptureTest; distinct statements in first-use order.
-- Table: cards (id bigint primary key, card_number binary encrypted, holder varchar encrypted as text, note varchar, amount decimal(12,2), rowseal_dek binary companion); schema test.
insert into cards (id, card_number, holder, note, amount) values (?, ?, ?, ?, ?);
select id, card_number, holder, note, amount from cards where id = ?;
select card_number from cards where id = ?;
select id, card_number, holder, note, amount from cards order by id limit ? offset ?;
update cards set card_number = ?, holder = ?, note = ?, amount = ? where id = ?;
delete from cards where id = ?;
INSERT INTO cards (id, card_number, holder, note, amount) VALUES(?, ?, ?, ?, ?);
