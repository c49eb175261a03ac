-- SQL that jooq sends for ordinary operations on an encrypted table, mariadb.
-- Recorded above RowSealDataSource by FrameworkSqlCaptureTest; distinct statements in first-use order.
-- Table: cards (id bigint primary key, card_number binary encrypted, holder varchar encrypted as text, note varchar, amount decimal(12,2), rowseal_dek binary companion); schema test.
insert into `test`.`cards` (`id`, `card_number`, `holder`, `note`, `amount`) values (?, ?, ?, ?, ?);
select `test`.`cards`.`id`, `test`.`cards`.`card_number`, `test`.`cards`.`holder`, `test`.`cards`.`note`, `test`.`cards`.`amount` from `test`.`cards` where `test`.`cards`.`id` = ?;
select * from `test`.`cards` where `test`.`cards`.`id` = ?;
select `test`.`cards`.`id`, `test`.`cards`.`card_number`, `test`.`cards`.`holder`, `test`.`cards`.`note`, `test`.`cards`.`amount` from `test`.`cards` order by `test`.`cards`.`id` offset ? rows fetch next ? rows only;
update `test`.`cards` set `test`.`cards`.`card_number` = ?, `test`.`cards`.`holder` = ?, `test`.`cards`.`note` = ?, `test`.`cards`.`amount` = ? where `test`.`cards`.`id` = ?;
delete from `test`.`cards` where `test`.`cards`.`id` = ?;
