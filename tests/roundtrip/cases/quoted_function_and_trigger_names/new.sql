-- quoted_function_and_trigger_names: mixed-case / spaced function, argument, trigger, policy, view and sequence names
CREATE TABLE "Orders" (
    "OrderID" integer PRIMARY KEY,
    "Total Amount" numeric(10,2)
);

CREATE SEQUENCE "Order Numbers";

CREATE FUNCTION "Compute Tax"("Net Amount" numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT "Net Amount" * 0.2 $$;

CREATE FUNCTION "Orders Touch"() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RETURN NEW; END $$;

CREATE TRIGGER "Before Order Insert"
    BEFORE INSERT ON "Orders"
    FOR EACH ROW EXECUTE FUNCTION "Orders Touch"();

CREATE VIEW "Order Taxes" AS
    SELECT "OrderID", "Compute Tax"("Total Amount") AS "Tax"
    FROM "Orders";

ALTER TABLE "Orders" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Everyone's Policy" ON "Orders" USING (true);
