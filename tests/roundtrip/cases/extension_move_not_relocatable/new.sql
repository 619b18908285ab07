-- extension_move_not_relocatable: xml2 (relocatable = false) moved to another schema: dropped and created there, the view using it recreated around it
CREATE SCHEMA ext;
CREATE EXTENSION xml2 SCHEMA ext;

CREATE TABLE docs (id integer PRIMARY KEY, body text);

CREATE VIEW doc_titles AS SELECT id, ext.xpath_string(body, '/doc/title') AS title FROM docs;
