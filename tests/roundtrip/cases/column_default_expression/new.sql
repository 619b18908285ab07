-- column_default_expression: function-call and expression defaults (now(), current_date + interval, clock_timestamp, gen_random_uuid, arithmetic)
CREATE TABLE jobs (
    id integer PRIMARY KEY,
    created_at timestamptz DEFAULT now(),
    due_on date DEFAULT (current_date + interval '7 days')::date,
    run_id uuid DEFAULT gen_random_uuid(),
    priority integer DEFAULT (2 * 5 + 1),
    updated_at timestamptz DEFAULT clock_timestamp()
);
