-- sequence_quoted_names_owned: sequences whose names need quoting ("foobar sequence", "Order-Seq") change owner, options and default use
CREATE SEQUENCE "foobar sequence" INCREMENT BY 2;
CREATE TABLE "Orders" ("Order ID" integer NOT NULL DEFAULT nextval('"foobar sequence"'), label text);
CREATE SEQUENCE "Order-Seq";
