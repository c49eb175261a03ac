-- SQL that jooq-unquoted sends for ordinary operations on an encrypted table, postgres.
-- Recorded above RowSealDataSource by FrameworkSqlCaptureTest; distinct statements in first-use order.
-- Table: cards (id bigint primary key, card_number binary encrypted, holder varchar encrypted as text, note varchar, amount decimal(12,2), rowseal_dek binary companion); schema public.
insert into public.cards (id, card_number, holder, note, amount) values (?, ?, ?, ?, ?);
select public.cards.id, public.cards.card_number, public.cards.holder, public.cards.note, public.cards.amount from public.cards where public.cards.id = ?;
select * from public.cards where public.cards.id = ?;
select public.cards.id, public.cards.card_number, public.cards.holder, public.cards.note, public.cards.amount from public.cards order by public.cards.id offset ? rows fetch next ? rows only;
update public.cards set card_number = ?, holder = ?, note = ?, amount = ? where public.cards.id = ?;
delete from public.cards where public.cards.id = ?;
