-- extension_move_not_relocatable: xml2 (relocatable = false) moved to another schema: dropped and created there, the view using it recreated around it
CREATE EXTENSION xml2;

CREATE TABLE docs (id integer PRIMARY KEY, body text);

CREATE VIEW doc_titles AS SELECT id, xpath_string(body, '/doc/title') AS title FROM docs;
