-- model.rs, stated in SQL (tests/models.rs `rust_models_declare_range_types`)
CREATE TYPE opening_hours AS RANGE (subtype = time);
COMMENT ON TYPE opening_hours IS 'Opening hours, closed-open.';
CREATE TYPE "Price Band" AS RANGE (subtype = numeric, multirange_type_name = "Price Bands");
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE label_range AS RANGE (subtype = text, collation = "C");
COMMENT ON TYPE label_range IS 'labels, byte order';
CREATE TABLE stores (
    id bigint PRIMARY KEY,
    hours opening_hours NOT NULL,
    late_hours opening_hours,
    bands "Price Band"[] NOT NULL,
    weights floatrange,
    band_set "Price Bands",
    label label_range
);
