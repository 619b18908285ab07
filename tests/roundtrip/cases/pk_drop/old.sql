-- pk_drop: a primary key (with INCLUDE column) is dropped; column NOT NULL stays
CREATE TABLE raw_events (
    id bigint NOT NULL,
    body text,
    CONSTRAINT raw_events_pkey PRIMARY KEY (id) INCLUDE (body)
);
