-- sequence_change_options: increment, start, minvalue, maxvalue, cache and cycle all changed
CREATE SEQUENCE order_number_seq
    INCREMENT BY 1
    MINVALUE 1
    MAXVALUE 9999999
    START WITH 1
    CACHE 1
    NO CYCLE;

CREATE SEQUENCE countdown_seq
    INCREMENT BY -1
    MINVALUE -1000
    MAXVALUE -1
    START WITH -1;
