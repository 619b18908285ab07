-- fk_cycle_create: two new tables that reference each other (FK cycle) created together; the downgrade drops both
CREATE TABLE teams (
    id integer PRIMARY KEY,
    name text NOT NULL,
    captain_id integer
);

CREATE TABLE players (
    id integer PRIMARY KEY,
    team_id integer REFERENCES teams (id),
    name text NOT NULL
);

ALTER TABLE teams
    ADD CONSTRAINT teams_captain_fkey FOREIGN KEY (captain_id) REFERENCES players (id) DEFERRABLE INITIALLY DEFERRED;
