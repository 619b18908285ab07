-- composite_type_change_attribute_type: a composite type attribute changes type (varchar(20) -> text) and another is dropped (last position)
CREATE TYPE person_name AS (
    first_name text,
    last_name varchar(20)
);
