-- sequence_change_type: sequence data types changed smallint -> bigint, bigint -> integer, integer -> smallint (with default min/max)
CREATE SEQUENCE s_small AS smallint;
CREATE SEQUENCE s_big AS bigint;
CREATE SEQUENCE s_int AS integer;
