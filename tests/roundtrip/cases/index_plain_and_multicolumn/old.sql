-- index_plain_and_multicolumn: plain single-column and multi-column btree indexes added, one dropped
CREATE TABLE messages (
    id integer PRIMARY KEY,
    sender_id integer NOT NULL,
    recipient_id integer NOT NULL,
    sent_at timestamptz NOT NULL,
    subject text
);

CREATE INDEX messages_subject_idx ON messages (subject);
