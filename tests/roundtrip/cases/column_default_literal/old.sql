-- column_default_literal: literal defaults added, changed and dropped (text, int, bool, numeric, jsonb, array, date)
CREATE TABLE preferences (
    id integer PRIMARY KEY,
    theme text DEFAULT 'light',
    page_size integer DEFAULT 20,
    beta boolean,
    ratio numeric(4,2) DEFAULT 1.5,
    extra jsonb,
    langs text[] DEFAULT '{en}',
    since date DEFAULT '2020-01-01'
);
