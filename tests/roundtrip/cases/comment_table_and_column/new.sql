-- comment_table_and_column: comments on a table and its columns added
CREATE TABLE suppliers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    vat_no text
);

COMMENT ON TABLE suppliers IS 'Companies we buy from';
COMMENT ON COLUMN suppliers.name IS 'Legal name';
COMMENT ON COLUMN suppliers.vat_no IS 'EU VAT number (may be NULL)';
