-- partitioned_table_index: indexes (plain + unique incl. partition key) created on a partitioned table; child indexes are created automatically
CREATE TABLE page_views (
    viewed_at timestamptz NOT NULL,
    page_id integer NOT NULL,
    session_id uuid
) PARTITION BY RANGE (viewed_at);

CREATE TABLE page_views_2024 PARTITION OF page_views
    FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
CREATE TABLE page_views_2025 PARTITION OF page_views
    FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');

CREATE INDEX page_views_page_idx ON page_views (page_id);
CREATE UNIQUE INDEX page_views_session_uq ON page_views (session_id, viewed_at);
