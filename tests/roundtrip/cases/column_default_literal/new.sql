-- column_default_literal: literal defaults added, changed and dropped (text, int, bool, numeric, jsonb, array, date)
CREATE TABLE preferences (
    id integer PRIMARY KEY,
    theme text DEFAULT 'dark',
    page_size integer DEFAULT 50,
    beta boolean DEFAULT true,
    ratio numeric(4,2),
    extra jsonb DEFAULT '{"a": [1, 2]}',
    langs text[] DEFAULT '{en,de}',
    since date DEFAULT '2021-06-30'
);
