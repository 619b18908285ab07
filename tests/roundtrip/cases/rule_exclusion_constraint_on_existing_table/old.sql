-- rule_exclusion_constraint_on_existing_table: no lock-free form: ACCESS_EXCLUSIVE_LOCK hazard
CREATE EXTENSION btree_gist;
CREATE TABLE bookings (room integer, during tsrange);
