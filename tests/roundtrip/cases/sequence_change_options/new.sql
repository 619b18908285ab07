-- sequence_change_options: increment, start, minvalue, maxvalue, cache and cycle all changed
-- (ALTER SEQUENCE keeps a sequence's current value, and PostgreSQL refuses bounds that
-- exclude it; the bounds here keep each side's current value valid in both directions)
CREATE SEQUENCE order_number_seq
    INCREMENT BY 5
    MINVALUE 10
    MAXVALUE 500000
    START WITH 1000
    CACHE 20
    CYCLE;

CREATE SEQUENCE countdown_seq
    INCREMENT BY -2
    MINVALUE -5000
    MAXVALUE 0
    START WITH -10;
