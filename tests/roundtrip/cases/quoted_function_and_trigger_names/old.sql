-- quoted_function_and_trigger_names: mixed-case / spaced function, argument, trigger, policy, view and sequence names
CREATE TABLE "Orders" (
    "OrderID" integer PRIMARY KEY,
    "Total Amount" numeric(10,2)
);
