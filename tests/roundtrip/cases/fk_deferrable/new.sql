-- fk_deferrable: an FK becomes DEFERRABLE INITIALLY DEFERRED
CREATE TABLE nodes (
    id integer PRIMARY KEY
);

CREATE TABLE edges (
    src integer NOT NULL,
    dst integer NOT NULL,
    CONSTRAINT edges_src_fkey FOREIGN KEY (src) REFERENCES nodes (id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT edges_dst_fkey FOREIGN KEY (dst) REFERENCES nodes (id) DEFERRABLE
);
