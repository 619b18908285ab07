-- long_and_multibyte_names: identifiers at PostgreSQL's 63-byte limit and multi-byte UTF-8 names, on both sides of the 24-byte mark where names stop being stored inline
CREATE SCHEMA "schéma_de_facturation_pour_les_clients_européens";

CREATE TABLE "schéma_de_facturation_pour_les_clients_européens".abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_abcdefghi (
    id integer PRIMARY KEY,
    "числовое_значение_счёта" numeric(14,2),
    customer_reference_number_that_is_quite_long_indeed text NOT NULL,
    "a_column_added_with_a_name_of_exactly_sixty_three_bytes_long_xx" integer DEFAULT 0,
    CONSTRAINT "check_that_the_numeric_value_of_the_invoice_is_not_negative_ok" CHECK ("числовое_значение_счёта" >= 0)
);

CREATE INDEX "index_on_the_customer_reference_number_that_is_quite_long_indee"
    ON "schéma_de_facturation_pour_les_clients_européens".abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_abcdefghi (customer_reference_number_that_is_quite_long_indeed);

CREATE TABLE "schéma_de_facturation_pour_les_clients_européens"."Ünïcödé Täble" (
    id integer PRIMARY KEY,
    "Größe" bigint,
    "ひらがなのなまえ" text
);

CREATE VIEW "schéma_de_facturation_pour_les_clients_européens"."Übersicht der Größen" AS
    SELECT id, "Größe" FROM "schéma_de_facturation_pour_les_clients_européens"."Ünïcödé Täble";
