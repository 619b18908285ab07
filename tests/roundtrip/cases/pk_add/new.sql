-- pk_add: a table without a primary key gains one (named and unnamed)
CREATE TABLE visits (
    id bigint NOT NULL PRIMARY KEY,
    page text
);

CREATE TABLE clicks (
    id bigint NOT NULL,
    target text,
    CONSTRAINT clicks_pkey_custom PRIMARY KEY (id)
);
