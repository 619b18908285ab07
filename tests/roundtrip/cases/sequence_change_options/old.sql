-- sequence_change_options: increment, start, minvalue, maxvalue, cache and cycle all changed
-- (ALTER SEQUENCE keeps a sequence's current value, and PostgreSQL refuses bounds that
-- exclude it; the bounds here keep each side's current value valid in both directions)
CREATE SEQUENCE order_number_seq
    INCREMENT BY 1
    MINVALUE 1
    MAXVALUE 9999999
    START WITH 100
    CACHE 1
    NO CYCLE;

CREATE SEQUENCE countdown_seq
    INCREMENT BY -1
    MINVALUE -1000
    MAXVALUE -1
    START WITH -1;
