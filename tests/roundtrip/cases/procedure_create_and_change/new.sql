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
    IF p IS NULL OR p = '' THEN
        RAISE EXCEPTION 'empty payload';
    END IF;
    INSERT INTO queue (payload) VALUES (p);
END;
$$;

CREATE PROCEDURE purge_done(INOUT removed integer DEFAULT 0)
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM queue WHERE done;
    GET DIAGNOSTICS removed = ROW_COUNT;
END;
$$;

CREATE PROCEDURE mark_done(p_id bigint)
    LANGUAGE sql
    AS $$ UPDATE queue SET done = true WHERE id = p_id $$;
