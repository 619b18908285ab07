-- trigger_on_view_instead_of: an INSTEAD OF INSERT trigger on a view
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE VIEW people_upper AS
    SELECT id, upper(name) AS name FROM people;
