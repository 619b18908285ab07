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
