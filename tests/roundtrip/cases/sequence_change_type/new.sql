-- sequence_change_type: sequence data types changed smallint -> bigint, bigint -> integer, integer -> smallint (with default min/max)
CREATE SEQUENCE s_small AS bigint;
CREATE SEQUENCE s_big AS integer;
CREATE SEQUENCE s_int AS smallint;
