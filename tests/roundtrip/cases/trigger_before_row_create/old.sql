-- trigger_before_row_create: a new BEFORE INSERT OR UPDATE FOR EACH ROW trigger and its plpgsql trigger function
CREATE TABLE articles (
    id integer PRIMARY KEY,
    title text NOT NULL,
    updated_at timestamptz
);
