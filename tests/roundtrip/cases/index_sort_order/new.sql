-- index_sort_order: DESC, NULLS FIRST, NULLS LAST and a per-column COLLATE in an index
CREATE TABLE scores (
    id integer PRIMARY KEY,
    player text NOT NULL,
    points integer,
    achieved_at timestamptz
);

CREATE INDEX scores_points_desc_idx ON scores (points DESC);
CREATE INDEX scores_achieved_nulls_first_idx ON scores (achieved_at NULLS FIRST);
CREATE INDEX scores_mixed_idx ON scores (player COLLATE "C" ASC, points DESC NULLS LAST, achieved_at DESC NULLS FIRST);
