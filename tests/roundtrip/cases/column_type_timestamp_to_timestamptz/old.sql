-- column_type_timestamp_to_timestamptz: timestamp -> timestamptz (with now() default), time -> timetz, timestamp(6) -> timestamp(0)
CREATE TABLE appointments (
    id integer PRIMARY KEY,
    starts_at timestamp NOT NULL DEFAULT now(),
    reminder time,
    created timestamp(6)
);
