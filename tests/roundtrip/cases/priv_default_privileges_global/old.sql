-- priv_default_privileges_global: global default privileges (EXECUTE taken from PUBLIC, tables granted) and objects created under them
CREATE TABLE before_defaults (id integer);
