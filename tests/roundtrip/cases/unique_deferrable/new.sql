-- unique_deferrable: a unique constraint becomes DEFERRABLE INITIALLY DEFERRED, another DEFERRABLE INITIALLY IMMEDIATE
CREATE TABLE playlist_entries (
    playlist_id integer NOT NULL,
    position integer NOT NULL,
    track_id integer NOT NULL,
    CONSTRAINT playlist_entries_position_key UNIQUE (playlist_id, position) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT playlist_entries_track_key UNIQUE (playlist_id, track_id) DEFERRABLE INITIALLY IMMEDIATE
);
