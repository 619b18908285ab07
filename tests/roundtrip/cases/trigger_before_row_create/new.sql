-- trigger_before_row_create: a new BEFORE INSERT OR UPDATE FOR EACH ROW trigger and its plpgsql trigger function
CREATE TABLE articles (
    id integer PRIMARY KEY,
    title text NOT NULL,
    updated_at timestamptz
);

CREATE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER articles_set_updated_at
    BEFORE INSERT OR UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
