-- quoted-identifier fires on this schema.
CREATE TABLE "Users" (id bigint PRIMARY KEY, "Full Name" text);

CREATE TABLE "order" (id bigint PRIMARY KEY);
