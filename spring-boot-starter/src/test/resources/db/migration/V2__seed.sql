-- A migration that writes an encrypted table: Flyway runs on the wrapped DataSource, so the literal values
-- are encrypted before they reach the database, like any other write.
insert into customers (id, name, national_id, city, version) values (999999, 'Seed Customer', 'NI-SEED-0', 'Seedville', 0);
