-- unique_constraints: single- and multi-column unique constraints added and dropped; NULLS NOT DISTINCT (PG15)
CREATE TABLE registrations (
    id integer PRIMARY KEY,
    event_id integer NOT NULL,
    user_id integer NOT NULL,
    badge_code text UNIQUE,
    seat text
);
