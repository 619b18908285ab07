-- new_table_fk_to_new_table: two new tables where the alphabetically-first one has an FK to the other (creation order must follow dependencies)
CREATE TABLE m_existing (
    id integer PRIMARY KEY
);
