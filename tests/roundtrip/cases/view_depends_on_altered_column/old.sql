-- view_depends_on_altered_column: a column read by a view (and a view-on-view) changes type; views must be dropped and recreated around the ALTER
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    balance numeric(10,2) NOT NULL,
    owner varchar(50)
);

CREATE VIEW rich_accounts AS
    SELECT id, owner, balance FROM accounts WHERE balance > 1000;

CREATE VIEW rich_owner_names AS
    SELECT upper(owner) AS owner_upper FROM rich_accounts;
