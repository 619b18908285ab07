-- comment_index_and_constraint: comments on an index, a table constraint, a domain constraint, a trigger and a policy
CREATE TABLE coupons (
    id integer PRIMARY KEY,
    code text NOT NULL,
    CONSTRAINT coupons_code_check CHECK (code ~ '^[A-Z0-9]+$')
);

CREATE INDEX coupons_code_idx ON coupons (code);

CREATE DOMAIN pos AS integer CONSTRAINT pos_check CHECK (VALUE > 0);

CREATE FUNCTION coupons_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER coupons_touch_trg BEFORE UPDATE ON coupons FOR EACH ROW EXECUTE FUNCTION coupons_touch();

CREATE POLICY coupons_all ON coupons USING (true);

COMMENT ON INDEX coupons_code_idx IS 'Lookup by code';
COMMENT ON CONSTRAINT coupons_code_check ON coupons IS 'Codes are upper-case alphanumerics';
COMMENT ON CONSTRAINT coupons_pkey ON coupons IS 'Surrogate key';
COMMENT ON CONSTRAINT pos_check ON DOMAIN pos IS 'Strictly positive';
COMMENT ON TRIGGER coupons_touch_trg ON coupons IS 'No-op touch';
COMMENT ON POLICY coupons_all ON coupons IS 'Everyone sees everything';
