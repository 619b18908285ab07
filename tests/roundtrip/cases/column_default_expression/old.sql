-- column_default_expression: function-call and expression defaults (now(), current_date + interval, clock_timestamp, gen_random_uuid, arithmetic)
CREATE TABLE jobs (
    id integer PRIMARY KEY,
    created_at timestamptz,
    due_on date DEFAULT current_date,
    run_id uuid,
    priority integer DEFAULT 5,
    updated_at timestamptz DEFAULT now()
);
