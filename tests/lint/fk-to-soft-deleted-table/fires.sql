-- fk-to-soft-deleted-table fires on this schema.
CREATE TABLE projects (id bigint PRIMARY KEY, deleted_at timestamptz);
CREATE TABLE tasks (id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES projects);
CREATE INDEX ON tasks (project_id);

