-- sequence_quoted_names_owned: sequences whose names need quoting ("foobar sequence", "Order-Seq") change owner, options and default use
CREATE SEQUENCE "foobar sequence" INCREMENT BY 5;
CREATE SEQUENCE "Order-Seq" MAXVALUE 100000;
CREATE TABLE "Orders" ("Order ID" integer NOT NULL DEFAULT nextval('"foobar sequence"'), label text, "Line" bigint NOT NULL DEFAULT nextval('"Order-Seq"'));
ALTER SEQUENCE "foobar sequence" OWNED BY "Orders"."Order ID";
