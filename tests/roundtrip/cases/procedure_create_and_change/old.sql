-- procedure_create_and_change: a plpgsql procedure body changes, a procedure gets a new signature (INOUT arg), a new one is created
CREATE TABLE queue (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload text NOT NULL,
    done boolean NOT NULL DEFAULT false
);

CREATE PROCEDURE enqueue(p text)
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO queue (payload) VALUES (p);
END;
$$;

CREATE PROCEDURE purge_done()
    LANGUAGE sql
    AS $$ DELETE FROM queue WHERE done $$;
