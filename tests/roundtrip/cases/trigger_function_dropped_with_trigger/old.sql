-- trigger_function_dropped_with_trigger: a trigger and its function are both dropped (trigger must be dropped before the function)
CREATE TABLE comments (
    id integer PRIMARY KEY,
    body text NOT NULL,
    body_length integer
);

CREATE FUNCTION comments_compute_length() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.body_length := length(NEW.body);
    RETURN NEW;
END;
$$;

CREATE TRIGGER comments_length
    BEFORE INSERT OR UPDATE OF body ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_compute_length();
