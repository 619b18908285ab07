-- trigger_on_view_instead_of: an INSTEAD OF INSERT trigger on a view
CREATE TABLE people (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE VIEW people_upper AS
    SELECT id, upper(name) AS name FROM people;

CREATE FUNCTION people_upper_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO people (id, name) VALUES (NEW.id, lower(NEW.name));
    RETURN NEW;
END;
$$;

CREATE TRIGGER people_upper_ins
    INSTEAD OF INSERT ON people_upper
    FOR EACH ROW EXECUTE FUNCTION people_upper_insert();
