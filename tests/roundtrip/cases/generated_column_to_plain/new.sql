-- generated_column_to_plain: a generated column becomes an ordinary column (DROP EXPRESSION); the reverse needs drop + re-add
CREATE TABLE temperatures (
    id integer PRIMARY KEY,
    celsius numeric(5,2),
    fahrenheit numeric(6,2)
);
