//! Column type changes with no cast (issue 15), through the `pgshift` binary: without a
//! `using` hint the plan stops with an error naming the column; with `using` and
//! `downgrade_using` in a TOML, Rust or `.sql` model the upgrade and the downgrade convert
//! real rows.

mod common;

use common::{output_text, Folder, TestDb};

/// The model: `status` becomes an enum, `opened` a timestamptz, `urgent` an enum too;
/// `hints` are added to the three columns' tables.
fn model(status_hints: &str, opened_hints: &str, urgent_hints: &str) -> String {
    format!(
        r#"
[enums."public.ticket_status"]
values = ["open", "closed"]

[enums."public.urgency"]
values = ["normal", "urgent"]

[tables."public.tickets"]
primary_key = ["id"]

[[tables."public.tickets".columns]]
name = "id"
type = "bigint"
not_null = true

[[tables."public.tickets".columns]]
name = "status"
type = "public.ticket_status"
not_null = true
default = "'open'"
{status_hints}

[[tables."public.tickets".columns]]
name = "opened"
type = "timestamptz"
not_null = true
{opened_hints}

[[tables."public.tickets".columns]]
name = "urgent"
type = "public.urgency"
not_null = true
default = "'normal'"
{urgent_hints}
"#
    )
}

/// `tickets` with the three columns the TOML model changes, and two rows.
fn tickets() -> TestDb {
    let db = TestDb::new();
    db.psql(
        "CREATE TABLE tickets (
             id bigint PRIMARY KEY,
             status smallint NOT NULL DEFAULT 1,
             opened bigint NOT NULL,
             urgent boolean NOT NULL DEFAULT false
         );
         INSERT INTO tickets VALUES (1, 1, 1767225600, false), (2, 2, 1767312000, true);",
    )
    .unwrap();
    db
}

/// `tickets` whose `opened` is a bigint of epoch seconds, with two rows: the table of the
/// Rust and `.sql` models.
fn opened_tickets() -> TestDb {
    let db = TestDb::new();
    db.psql(
        "CREATE TABLE tickets (id bigint PRIMARY KEY, opened bigint NOT NULL);
         INSERT INTO tickets VALUES (1, 1767225600), (2, 1767312000);",
    )
    .unwrap();
    db
}

/// The Rust and `.sql` models' hints at work: `model` (in `folder`) makes `opened` a
/// timestamptz `using` to_timestamp, and the down goes back with `downgrade_using`; the
/// rows of `opened_tickets` survive both ways.
fn converts_opened_both_ways(folder: &Folder, db: &TestDb, model: &str) {
    let url = db.url();
    let up = folder.ok(&["diff", "--from", &url, "--to", model]);
    let down = folder.ok(&["diff", "--from", &url, "--to", model, "--down"]);
    assert!(up.contains("USING (to_timestamp(opened))"), "{up}");
    assert!(
        down.contains("USING (extract(epoch FROM opened)::bigint)"),
        "{down}"
    );
    db.psql(&up).unwrap_or_else(|e| panic!("{e}\n{up}"));
    let days: Vec<String> = db
        .client()
        .query(
            "SELECT to_char(opened AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM tickets ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(days, ["2026-01-01", "2026-01-02"]);
    assert_eq!(
        folder.ok(&["diff", "--from", &url, "--to", model]),
        "",
        "nothing left to do"
    );
    db.psql(&down).unwrap_or_else(|e| panic!("{e}\n{down}"));
    let back: Vec<i64> = db
        .client()
        .query("SELECT opened FROM tickets ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(back, [1767225600, 1767312000]);
}

#[test]
fn no_cast_and_no_hint_is_a_plan_time_error_naming_the_column() {
    let db = tickets();
    let folder = Folder::new("type-using-error");
    folder.write("model.toml", &model("", "", ""));
    let out = folder.pgshift(&["diff", "--from", &db.url(), "--to", "model.toml"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    // Every column without a way, not only the first.
    assert!(text.contains("column public.tickets.status"), "{text}");
    assert!(
        text.contains("from smallint to public.ticket_status"),
        "{text}"
    );
    assert!(text.contains("not safe"), "{text}");
    assert!(text.contains("column public.tickets.opened"), "{text}");
    assert!(text.contains("to_timestamp(opened)"), "{text}");
    assert!(text.contains("column public.tickets.urgent"), "{text}");
    assert!(text.contains("using = "), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    // Nothing was changed.
    let n: i16 = db
        .client()
        .query_one("SELECT status FROM tickets WHERE id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[test]
fn a_hint_that_escapes_its_slot_is_refused() {
    let db = tickets();
    let folder = Folder::new("type-using-escape");
    folder.write(
        "model.toml",
        &model(
            r#"using = "status::text::public.ticket_status; DROP TABLE tickets""#,
            r#"using = "to_timestamp(opened)""#,
            r#"using = "'normal'::public.urgency""#,
        ),
    );
    let out = folder.pgshift(&["diff", "--from", &db.url(), "--to", "model.toml"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("public.tickets.status"), "{text}");
    assert!(text.contains("`using` expression"), "{text}");
}

#[test]
fn using_and_downgrade_using_convert_the_rows_both_ways() {
    let db = tickets();
    let folder = Folder::new("type-using-ok");
    folder.write(
        "model.toml",
        &model(
            r#"using = "(CASE status WHEN 1 THEN 'open' ELSE 'closed' END)::public.ticket_status"
downgrade_using = "CASE status WHEN 'open' THEN 1 ELSE 2 END""#,
            r#"using = "to_timestamp(opened)"
downgrade_using = "extract(epoch FROM opened)::bigint""#,
            r#"using = "(CASE WHEN urgent THEN 'urgent' ELSE 'normal' END)::public.urgency"
downgrade_using = "urgent = 'urgent'""#,
        ),
    );
    let url = db.url();
    let up = folder.ok(&["diff", "--from", &url, "--to", "model.toml"]);
    let down = folder.ok(&["diff", "--from", &url, "--to", "model.toml", "--down"]);
    assert!(up.contains("USING (to_timestamp(opened))"), "{up}");
    db.psql(&up).unwrap_or_else(|e| panic!("{e}\n{up}"));
    let rows: Vec<(String, String, String)> = db
        .client()
        .query(
            "SELECT status::text, to_char(opened AT TIME ZONE 'UTC', 'YYYY-MM-DD'), urgent::text
             FROM tickets ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        rows,
        [
            ("open".into(), "2026-01-01".into(), "normal".into()),
            ("closed".into(), "2026-01-02".into(), "urgent".into())
        ]
    );
    // The model is reached: nothing left to do.
    let again = folder.ok(&["diff", "--from", &url, "--to", "model.toml"]);
    assert!(again.trim().is_empty(), "{again}");

    db.psql(&down).unwrap_or_else(|e| panic!("{e}\n{down}"));
    let rows: Vec<(i16, i64, bool)> = db
        .client()
        .query(
            "SELECT status, opened, urgent FROM tickets ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(rows, [(1, 1767225600, false), (2, 1767312000, true)]);
    db.psql("INSERT INTO tickets (id, opened) VALUES (3, 0)")
        .unwrap();
}

/// The same hints in a Rust model: `#[pgshift(using = "...", downgrade_using = "...")]`.
#[test]
fn rust_model_using_and_downgrade_using_convert_the_rows_both_ways() {
    let db = opened_tickets();
    let folder = Folder::new("type-using-rust");
    let model = |hints: &str| {
        format!(
            r#"
#[pgshift(table)]
pub struct Tickets {{
    #[pgshift(primary_key)]
    pub id: i64,
    #[pgshift(type = "timestamptz"{hints})]
    pub opened: i64,
}}
"#
        )
    };
    // Without a hint: bigint -> timestamptz has no cast; the error names the column.
    folder.write("model.rs", &model(""));
    let out = folder.pgshift(&["diff", "--from", &db.url(), "--to", "model.rs"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("column public.tickets.opened"), "{text}");

    folder.write(
        "model.rs",
        &model(
            r#", using = "to_timestamp(opened)",
          downgrade_using = "extract(epoch FROM opened)::bigint""#,
        ),
    );
    converts_opened_both_ways(&folder, &db, "model.rs");
}

/// The same hints in a `.sql` model: comments that keep the file plain SQL,
/// `-- pgshift: using ...` at the end of the column's line (`/* pgshift: ... */` for a
/// second one on the same line). A hint not on a column's line is an error at the comment.
#[test]
fn sql_model_using_comments_convert_the_rows_both_ways() {
    let db = opened_tickets();
    let folder = Folder::new("type-using-sql");
    let url = db.url();
    // Without a hint: the error names the column and says how a .sql model gives one.
    folder.write(
        "schema.sql",
        "CREATE TABLE tickets (id bigint PRIMARY KEY, opened timestamptz NOT NULL);\n",
    );
    let out = folder.pgshift(&["diff", "--from", &url, "--to", "schema.sql"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("column public.tickets.opened"), "{text}");
    assert!(text.contains("-- pgshift: using"), "{text}");

    // On a line of its own, the hint would be read as the wrong column's: refused, at
    // the comment's line and column.
    folder.write(
        "schema.sql",
        "CREATE TABLE tickets (\n    id bigint PRIMARY KEY,\n    -- pgshift: using to_timestamp(opened)\n    opened timestamptz NOT NULL\n);\n",
    );
    let out = folder.pgshift(&["diff", "--from", &url, "--to", "schema.sql"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("schema.sql:3:5"), "{text}");
    assert!(text.contains("line of its own"), "{text}");

    // A hint after the end of a statement is on no column.
    folder.write(
        "schema.sql",
        "CREATE TABLE tickets (\n    id bigint PRIMARY KEY,\n    opened timestamptz NOT NULL\n);\n\
         CREATE VIEW v AS SELECT 1 AS x; -- pgshift: using 1\n",
    );
    let out = folder.pgshift(&["diff", "--from", &url, "--to", "schema.sql"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("schema.sql:5:33"), "{text}");

    let model = "-- tickets, as the application reads them\n\
        CREATE TABLE tickets (\n\
        \x20   id bigint PRIMARY KEY,\n\
        \x20   opened timestamptz /* pgshift: downgrade_using extract(epoch FROM opened)::bigint */\n\
        \x20       NOT NULL -- pgshift: using to_timestamp(opened)\n\
        );\n";
    folder.write("schema.sql", model);
    // The file is plain SQL: psql runs it as it is.
    TestDb::new().psql(model).unwrap();
    converts_opened_both_ways(&folder, &db, "schema.sql");
}

/// The planner's table of built-in casts is the server's `pg_cast`: a type change it
/// writes without `USING` has an assignment cast, one it writes `col::type` an explicit one.
#[test]
fn builtin_cast_table_is_the_servers() {
    let db = TestDb::new();
    let mut server: Vec<(String, String, bool)> = db
        .client()
        .query(
            "SELECT format_type(castsource, NULL), format_type(casttarget, NULL), \
                    castcontext <> 'e' \
             FROM pg_cast WHERE oid < 16384",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    server.sort();
    let mut ours: Vec<(String, String, bool)> = pgshift::plan::builtin_casts()
        .iter()
        .map(|(f, t, a)| (f.to_string(), t.to_string(), *a))
        .collect();
    ours.sort();
    assert_eq!(ours, server);
}

/// A type change PostgreSQL has no cast for, found in a real history (jsonb -> bytea, and
/// jsonb -> hstore from an extension): `generate` stops with the column named instead of
/// writing a migration that fails on `upgrade`; with a `using` comment in the `.sql` model
/// the generated migration converts the rows and its downgrade converts them back.
#[test]
fn generate_refuses_a_change_with_no_cast_until_the_model_says_how() {
    use common::project::Project;
    let p = Project::new("CREATE TABLE jobs (id bigint PRIMARY KEY, job jsonb NOT NULL);\n");
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["generate", "-m", "jobs"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    db.psql(r#"INSERT INTO jobs VALUES (1, '{"run": "report"}'), (2, '[1, 2]');"#)
        .unwrap();
    let before = p.files();

    p.model("CREATE TABLE jobs (id bigint PRIMARY KEY, job bytea NOT NULL);\n");
    let said = p.fails(&["generate", "-m", "job as bytes"], 2);
    assert!(said.contains("column public.jobs.job"), "{said}");
    assert!(said.contains("from jsonb to bytea"), "{said}");
    assert!(said.contains("no cast"), "{said}");
    assert!(said.contains("-- pgshift: using"), "{said}");
    assert_eq!(p.files(), before, "nothing written");

    p.model(
        "CREATE TABLE jobs (\n    id bigint PRIMARY KEY,\n    job bytea NOT NULL \
         -- pgshift: using convert_to(job::text, 'UTF8')\n);\n",
    );
    let said = p.fails(&["generate", "-m", "job as bytes"], 2);
    assert!(
        said.contains("from bytea to jsonb"),
        "the way back needs one too: {said}"
    );
    p.model(
        "CREATE TABLE jobs (\n    id bigint PRIMARY KEY,\n    job bytea \
         /* pgshift: downgrade_using convert_from(job, 'UTF8')::jsonb */ NOT NULL \
         -- pgshift: using convert_to(job::text, 'UTF8')\n);\n",
    );
    p.ok(&["generate", "-m", "job as bytes"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    let text: Vec<String> = db
        .client()
        .query(
            "SELECT convert_from(job, 'UTF8') FROM jobs ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(text, [r#"{"run": "report"}"#, "[1, 2]"]);
    p.ok(&["downgrade", "-1", "--database", &url]);
    let back: Vec<String> = db
        .client()
        .query("SELECT job::text FROM jobs ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(back, [r#"{"run": "report"}"#, "[1, 2]"]);

    // An extension's type: pgshift knows the built-in casts only, and says so.
    p.model(
        "CREATE EXTENSION hstore;\nCREATE TABLE jobs (id bigint PRIMARY KEY, job hstore NOT NULL);\n",
    );
    let said = p.fails(&["generate", "-m", "job as hstore"], 2);
    assert!(said.contains("from bytea to public.hstore"), "{said}");
    assert!(said.contains("pgshift knows no cast"), "{said}");
}
