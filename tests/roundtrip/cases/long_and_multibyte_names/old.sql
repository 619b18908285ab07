-- long_and_multibyte_names: identifiers at PostgreSQL's 63-byte limit and multi-byte UTF-8 names, on both sides of the 24-byte mark where names stop being stored inline
CREATE SCHEMA "schéma_de_facturation_pour_les_clients_européens";

CREATE TABLE "schéma_de_facturation_pour_les_clients_européens".abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_abcdefghi (
    id integer PRIMARY KEY,
    "числовое_значение_счёта" numeric(12,2),
    customer_reference_number_that_is_quite_long_indeed text
);

CREATE TABLE "schéma_de_facturation_pour_les_clients_européens"."Ünïcödé Täble" (
    id integer PRIMARY KEY,
    "Größe" integer
);
