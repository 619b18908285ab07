//! `pgshift generate` and the commands around it, end to end on the binary and real
//! PostgreSQL: renames whose every downgrade brings the data back, rename hints that name
//! nothing, the summary of what was written, the version tables of migration tools left
//! out, and narrowing type changes.

mod common;

use common::{project, TestDb};
use std::path::PathBuf;
use std::process::Output;

struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(model_file: &str, model: &str) -> Project {
        let p = Project {
            dir: project::temp_dir("generate"),
        };
        p.write(model_file, model);
        p.ok(&["init", "--model", model_file]);
        p
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.dir.join(file), text).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        project::pgshift(&self.dir, Some(&common::dev_url()), args)
    }

    fn ok(&self, args: &[&str]) -> String {
        project::ok(&self.dir, Some(&common::dev_url()), args)
    }

    fn files(&self) -> Vec<String> {
        common::project::listing(&self.dir.join("migrations"))
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `users (id, <email> text NOT NULL DEFAULT 'none', <nick> text)`, with rename hints.
fn users(email: &str, nick: &str, hints: Option<(&str, &str)>) -> String {
    let hint = |h: Option<&str>| h.map_or(String::new(), |h| format!("renamed_from = \"{h}\"\n"));
    format!(
        r#"
[tables.users]
primary_key = ["id"]

[[tables.users.columns]]
name = "id"
type = "bigint"
not_null = true

[[tables.users.columns]]
name = "{email}"
type = "text"
not_null = true
default = "'none'"
{}
[[tables.users.columns]]
name = "{nick}"
type = "text"
{}"#,
        hint(hints.map(|h| h.0)),
        hint(hints.map(|h| h.1)),
    )
}

fn users_v1() -> String {
    users("email", "nick", None)
}

fn users_v2(email_hint: &str, nick_hint: &str) -> String {
    users("email_address", "nickname", Some((email_hint, nick_hint)))
}

fn rows(db: &TestDb, sql: &str) -> Vec<String> {
    db.client()
        .query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| {
            (0..r.len())
                .map(|i| format!("{:?}", r.get::<_, Option<String>>(i)))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

fn applied(db: &TestDb) -> usize {
    db.client()
        .query_one("SELECT count(*) FROM public.pgshift_migrations", &[])
        .map(|r| r.get::<_, i64>(0) as usize)
        .unwrap_or(0)
}

#[test]
fn every_downgrade_of_a_rename_restores_the_data() {
    let p = Project::new("schema.toml", &users_v1());
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["generate", "-m", "users"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    db.client()
        .batch_execute(
            "INSERT INTO users SELECT i, 'u' || i || '@example.com', \
             CASE WHEN i % 3 = 0 THEN NULL ELSE 'n' || i END FROM generate_series(1, 5000) i",
        )
        .unwrap();
    let before = rows(&db, "SELECT id::text, email, nick FROM users ORDER BY id");
    let base = applied(&db);

    p.write("schema.toml", &users_v2("email", "nick"));
    let summary = p.ok(&["generate", "-m", "rename"]);
    assert!(summary.contains("contract"), "{summary}");
    p.ok(&["upgrade", "--all", "--database", &url]);
    let renamed = rows(
        &db,
        "SELECT id::text, email_address, nickname FROM users ORDER BY id",
    );
    assert_eq!(renamed, before, "the upgrade lost data");
    let dump = db.dump();
    assert!(!dump.contains("email text"), "{dump}");

    // Each migration of the rename reverted one at a time: after each, the data is whole
    // under whichever name exists.
    while applied(&db) > base {
        p.ok(&["downgrade", "-1", "--database", &url]);
        let columns: Vec<String> = rows(
            &db,
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_name = 'users' ORDER BY ordinal_position",
        );
        let has = |c: &str| columns.iter().any(|x| x.contains(&format!("\"{c}\"")));
        let email = if has("email") {
            "email"
        } else {
            "email_address"
        };
        let nick = if has("nick") { "nick" } else { "nickname" };
        let now = rows(
            &db,
            &format!("SELECT id::text, {email}, {nick} FROM users ORDER BY id"),
        );
        assert_eq!(now, before, "data lost after a downgrade ({columns:?})");
    }
    // Back to the first schema, NOT NULL and default included.
    let reference = TestDb::new();
    reference
        .psql(
            "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL DEFAULT 'none', \
             nick text);",
        )
        .unwrap();
    common::assert_same_schema(&db.schema(), &reference.schema(), "after every downgrade");
}

#[test]
fn a_rename_hint_that_names_nothing_is_an_error_and_writes_nothing() {
    let p = Project::new("schema.toml", &users_v1());
    p.ok(&["generate", "-m", "users"]);
    let files = p.files();
    p.write("schema.toml", &users_v2("emial", "nick"));
    let out = p.run(&["generate", "-m", "rename"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did you mean 'email'"), "{stderr}");
    assert!(stderr.contains("emial"), "{stderr}");
    // At the hint's column, file:line:col.
    assert!(stderr.contains("schema.toml:"), "{stderr}");
    assert_eq!(p.files(), files, "a failed generate wrote files");
}

#[test]
fn the_summary_lists_each_migration_and_data_loss_first() {
    let p = Project::new(
        "schema.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a text, b text);",
    );
    p.ok(&["generate", "-m", "t"]);
    p.write(
        "schema.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a text, c int NOT NULL DEFAULT 0, \
         CONSTRAINT t_c_check CHECK (c >= 0)); CREATE INDEX t_a_idx ON t (a);",
    );
    let out = p.ok(&["generate", "-m", "change"]);
    let summary = &out[out.find("migrations, to run in this order").expect(&out)..];
    // Every migration, with its phase and transaction mode.
    let listed: Vec<&str> = summary
        .lines()
        .filter(|l| l.starts_with("  2") && l.contains("_change"))
        .collect();
    assert_eq!(listed.len() * 2, p.files().len() - 2, "{out}");
    assert!(summary.contains("expand, in a transaction"), "{out}");
    assert!(
        summary.contains("expand, outside a transaction (-- no-transaction)"),
        "{out}"
    );
    // Hazards, DATA_LOSS first, each with the step and object it concerns.
    let hazards: Vec<&str> = summary
        .lines()
        .skip_while(|l| !l.starts_with("Hazards"))
        .skip(1)
        .collect();
    assert!(hazards[0].contains("DATA_LOSS"), "{out}");
    assert!(hazards[0].contains("drop column public.t.b"), "{out}");
    assert!(
        hazards
            .iter()
            .any(|h| h.contains("VALIDATION_SCAN") && h.contains("t_c_check")),
        "{out}"
    );
    assert!(hazards.iter().any(|h| h.contains("INDEX_BUILD")), "{out}");
    let last_loss = hazards
        .iter()
        .rposition(|h| h.contains("DATA_LOSS"))
        .unwrap();
    assert!(hazards[..=last_loss]
        .iter()
        .all(|h| h.contains("DATA_LOSS") || h.contains("IRREVERSIBLE")));
}

/// The version tables of sqlx-cli (as sqlx 0.8 creates it), Alembic, diesel_cli,
/// refinery, sea-orm-migration, Flyway and golang-migrate, and two tables of the
/// application's own.
const TOOLS_DDL: &str = "CREATE TABLE _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
);
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY NOT NULL, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE refinery_schema_history (version int4 PRIMARY KEY, name varchar(255), applied_on varchar(255), checksum varchar(255));
CREATE TABLE seaql_migrations (version varchar NOT NULL PRIMARY KEY, applied_at bigint NOT NULL);
CREATE TABLE flyway_schema_history (installed_rank integer NOT NULL, version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum integer, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time integer NOT NULL, success boolean NOT NULL, CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank));
CREATE INDEX flyway_schema_history_s_idx ON flyway_schema_history (success);
CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL);
CREATE TABLE audit_log (id int);
CREATE TABLE audit_2024 (id int);";

/// What no command may show of TOOLS_DDL and pgshift's own table.
const TOOL_TABLES: &[&str] = &[
    "pgshift_migrations",
    "_sqlx_migrations",
    "alembic_version",
    "__diesel_schema_migrations",
    "refinery_schema_history",
    "seaql_migrations",
    "flyway_schema_history",
    "schema_migrations",
];

#[test]
fn version_tables_of_migration_tools_are_left_out() {
    let model = "CREATE TABLE users (id int PRIMARY KEY);";
    let p = Project::new("schema.sql", model);
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["generate", "-m", "users"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    db.psql(TOOLS_DDL).unwrap();

    // The tools' tables never show; audit_* do until excluded.
    let diff = p.ok(&["diff", "--from", &url, "--to", "schema.sql"]);
    for tool in TOOL_TABLES {
        assert!(!diff.contains(tool), "{tool}: {diff}");
    }
    assert!(diff.contains("DROP TABLE public.audit_log"), "{diff}");
    let diff = p.ok(&[
        "diff",
        "--from",
        &url,
        "--to",
        "schema.sql",
        "--exclude",
        "public.audit_*",
    ]);
    assert_eq!(diff, "", "{diff}");
    // Both ways round.
    let diff = p.ok(&[
        "diff",
        "--from",
        "schema.sql",
        "--to",
        &url,
        "--exclude",
        "*.audit_*",
    ]);
    assert_eq!(diff, "", "{diff}");
    let inspect = p.ok(&["inspect", &url, "--exclude", "public.audit_log"]);
    assert!(inspect.contains("public.users"), "{inspect}");
    assert!(inspect.contains("audit_2024"), "{inspect}");
    for hidden in TOOL_TABLES.iter().chain(&["audit_log"]) {
        assert!(!inspect.contains(hidden), "{hidden}: {inspect}");
    }

    // pgshift.toml's exclude list reaches generate --database, check and verify --schema.
    let generate = p.ok(&["generate", "-m", "x", "--database", &url]);
    assert!(generate.contains("audit_log"), "{generate}");
    let toml = std::fs::read_to_string(p.dir.join("pgshift.toml")).unwrap();
    assert!(toml.contains("exclude = []"), "{toml}");
    p.write(
        "pgshift.toml",
        &toml.replace("exclude = []", "exclude = [\"public.audit_*\"]"),
    );
    let generate = p.ok(&["generate", "-m", "x", "--database", &url]);
    assert_eq!(generate, "", "{generate}");
    assert!(p.ok(&["check"]).contains("OK"));
    let verify = p.ok(&["verify", "--schema", "--database", &url]);
    assert!(verify.contains("OK"), "{verify}");
}

#[test]
fn a_narrowing_type_change_names_what_is_lost_and_its_downgrade_says_it_is_not_exact() {
    let p = Project::new(
        "schema.sql",
        "CREATE TABLE prices (id int PRIMARY KEY, amount numeric(10,2), seen timestamptz, \
         label text);",
    );
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["generate", "-m", "prices"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    db.psql(
        "INSERT INTO prices VALUES (1, 12.34, '2026-01-02 03:04:05+00', 'short'); \
         INSERT INTO prices VALUES (2, 0.5, '2026-06-30 23:59:59+00', 'x');",
    )
    .unwrap();
    p.write(
        "schema.sql",
        "CREATE TABLE prices (id int PRIMARY KEY, amount numeric(10,0), seen date, \
         label varchar(10));",
    );
    let out = p.ok(&["generate", "-m", "narrow"]);
    let hazards = &out[out.find("Hazards").expect(&out)..];
    let first: Vec<&str> = hazards.lines().skip(1).take(3).collect();
    assert!(
        first.iter().all(|l| l.contains("DATA_LOSS")),
        "DATA_LOSS first:\n{out}"
    );
    assert!(hazards.contains("IRREVERSIBLE_DOWNGRADE"), "{out}");
    let mut ups = String::new();
    let mut downs = String::new();
    for f in p.files() {
        let text = std::fs::read_to_string(p.dir.join("migrations").join(&f)).unwrap();
        if f.ends_with(".up.sql") {
            ups.push_str(&text);
        } else {
            downs.push_str(&text);
        }
    }
    for says in [
        "hazard DATA_LOSS: changing public.prices.amount from numeric(10,2) to numeric(10,0) \
         loses every digit after the decimal point (values are rounded to integers)",
        "hazard DATA_LOSS: changing public.prices.seen from timestamp with time zone to date \
         loses the time of day",
        "hazard DATA_LOSS: changing public.prices.label from text to character varying(10) \
         loses every value longer than 10 characters",
        "hazard IRREVERSIBLE_DOWNGRADE: the downgrade changes public.prices.amount back to \
         numeric(10,2)",
    ] {
        assert!(ups.contains(says), "{says}\n{ups}");
    }
    assert!(
        downs.contains("-- warning: not an exact inverse"),
        "{downs}"
    );
    p.ok(&["upgrade", "--all", "--database", &url]);
    // Each rewrite is a migration of its own: back to the first one.
    let first = p.files()[0].split('_').next().unwrap().to_string();
    p.ok(&["downgrade", &first, "--database", &url]);
    // The schema is back, the digits are not.
    let amounts: Vec<String> = db
        .client()
        .query(
            "SELECT amount::text, seen::text FROM prices ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.get::<_, String>(0), r.get::<_, String>(1)))
        .collect();
    assert_eq!(
        amounts,
        [
            "12.00 2026-01-02 00:00:00+00",
            "1.00 2026-06-30 00:00:00+00"
        ]
    );
}

/// postgres_fdw is not a trusted extension: the scratch database's owner, a role without
/// superuser rights, may not create it. Replays of a history that creates it (by
/// `generate` and `check`) run its exact `CREATE EXTENSION` with the server's rights, as
/// model loading does.
#[test]
fn a_history_that_creates_an_untrusted_extension_replays() {
    let v1 = "CREATE EXTENSION postgres_fdw;\nCREATE TABLE t (id integer PRIMARY KEY);\n";
    let p = Project::new("schema.sql", v1);
    p.ok(&["generate", "-m", "init"]);
    p.write(
        "schema.sql",
        &format!("{v1}CREATE TABLE u (id integer PRIMARY KEY);\n"),
    );
    p.ok(&["generate", "-m", "more"]);
    let check = p.ok(&["check"]);
    assert!(check.starts_with("OK"), "{check}");
}

/// A primary key added on an existing column that is still nullable, on a table with rows:
/// `generate` makes the column NOT NULL first (check NOT VALID, VALIDATE in a migration of
/// its own, SET NOT NULL that the check proves) and attaches the concurrently built unique
/// index as the key only after it, so `ADD PRIMARY KEY USING INDEX` finds the column NOT
/// NULL and does not scan the table for NULLs under its ACCESS EXCLUSIVE lock. `upgrade`
/// applies it, and reverting it leaves the column nullable, without the key, rows kept.
#[test]
fn a_primary_key_on_a_nullable_column_is_attached_after_its_not_null() {
    let p = Project::new("schema.sql", "CREATE TABLE t (id integer, v text);");
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["generate", "-m", "t"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    db.psql("INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 20000) i;")
        .unwrap();
    let base = rows(
        &db,
        "SELECT max(version)::text FROM public.pgshift_migrations",
    );
    let base = base[0]
        .trim_start_matches("Some(\"")
        .trim_end_matches("\")");

    p.write(
        "schema.sql",
        "CREATE TABLE t (id integer PRIMARY KEY, v text);",
    );
    p.ok(&["generate", "-m", "key"]);
    let ups: Vec<(String, String)> = p
        .files()
        .into_iter()
        .filter(|f| f.contains("_key") && f.ends_with(".up.sql"))
        .map(|f| {
            let text = std::fs::read_to_string(p.dir.join("migrations").join(&f)).unwrap();
            (f, text)
        })
        .collect();
    let at = |fragment: &str| {
        ups.iter()
            .position(|(_, text)| text.contains(fragment))
            .unwrap_or_else(|| panic!("no migration has {fragment:?}:\n{ups:#?}"))
    };
    let validate = at("VALIDATE CONSTRAINT id_pgshift_not_null");
    let not_null = at("ALTER COLUMN id SET NOT NULL");
    let build = at("CREATE UNIQUE INDEX CONCURRENTLY t_pkey");
    let attach = at("ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey");
    assert!(
        validate < not_null && not_null < attach && build < attach,
        "validate {validate}, set not null {not_null}, build {build}, attach {attach}:\n{ups:#?}"
    );

    p.ok(&["upgrade", "--all", "--database", &url]);
    let key = "SELECT (SELECT attnotnull::text FROM pg_attribute \
               WHERE attrelid = 't'::regclass AND attname = 'id'), \
               (SELECT string_agg(conname || ' ' || contype::text, ',') FROM pg_constraint \
               WHERE conrelid = 't'::regclass), (SELECT count(*)::text FROM t)";
    assert_eq!(
        rows(&db, key),
        ["Some(\"true\")|Some(\"t_pkey p\")|Some(\"20000\")"]
    );
    assert!(p
        .ok(&["verify", "--schema", "--database", &url])
        .contains("OK"));

    p.ok(&["downgrade", base, "--database", &url]);
    assert_eq!(rows(&db, key), ["Some(\"false\")|None|Some(\"20000\")"]);
}

/// A serial key on a table with rows becomes an identity, through `generate`, `upgrade`
/// and `downgrade`: numbering goes on where the sequence stopped both ways (an insert
/// after each takes the next key, no duplicate), and the hazard is in the summary.
#[test]
fn serial_to_identity_and_back_keeps_numbering_on_a_table_with_rows() {
    let p = Project::new(
        "schema.sql",
        "CREATE TABLE t (id serial PRIMARY KEY, v text);",
    );
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["generate", "-m", "t"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    // Rows, and the sequence ahead of them (a rolled-back insert leaves such a gap).
    db.psql(
        "INSERT INTO t (v) SELECT 'v' || i FROM generate_series(1, 500) i; \
         SELECT setval('t_id_seq', 600);",
    )
    .unwrap();
    let base = rows(
        &db,
        "SELECT max(version)::text FROM public.pgshift_migrations",
    );
    let base = base[0]
        .trim_start_matches("Some(\"")
        .trim_end_matches("\")");

    p.write(
        "schema.sql",
        "CREATE TABLE t (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v text);",
    );
    let summary = p.ok(&["generate", "-m", "identity"]);
    assert!(summary.contains("ACCESS_EXCLUSIVE_LOCK"), "{summary}");
    p.ok(&["upgrade", "--all", "--database", &url]);
    let next = "INSERT INTO t (v) VALUES ('next') RETURNING id::text";
    assert_eq!(rows(&db, next), ["Some(\"601\")"]);
    assert_eq!(
        rows(
            &db,
            "SELECT attidentity::text FROM pg_attribute \
             WHERE attrelid = 't'::regclass AND attname = 'id'"
        ),
        ["Some(\"d\")"]
    );

    p.ok(&["downgrade", base, "--database", &url]);
    assert_eq!(rows(&db, next), ["Some(\"602\")"]);
    assert_eq!(
        rows(
            &db,
            "SELECT pg_get_serial_sequence('t', 'id') || ' ' || attidentity::text \
             FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'id'"
        ),
        ["Some(\"public.t_id_seq \")"]
    );
    assert_eq!(rows(&db, "SELECT count(*)::text FROM t"), ["Some(\"502\")"]);
}

/// Tables renamed by hand in a `.sql` model (no hint) whose replacements keep the old
/// names of their sequence, primary key, index and of the foreign key that points at them
/// (found in a real history): `generate` writes a migration that `upgrade --all` applies
/// (before: "cannot order the migration: ... cycle"), the sequence goes on where it was,
/// `check` is clean after, and `downgrade` goes back to the old tables.
#[test]
fn generate_and_upgrade_tables_replaced_under_their_old_names() {
    use common::project::Project;
    let old = "CREATE TABLE mod_add (id serial PRIMARY KEY, who integer NOT NULL);
CREATE INDEX idx_mod_add_who ON mod_add (who);
CREATE TABLE modlog (id serial PRIMARY KEY, mod_add_id integer,
    CONSTRAINT modlog_mod_add_id_fkey FOREIGN KEY (mod_add_id) REFERENCES mod_add);
";
    let new = "CREATE SEQUENCE mod_add_id_seq AS integer;
CREATE TABLE admin_add (id integer NOT NULL DEFAULT nextval('mod_add_id_seq'), who integer NOT NULL,
    CONSTRAINT mod_add_pkey PRIMARY KEY (id));
ALTER SEQUENCE mod_add_id_seq OWNED BY admin_add.id;
CREATE INDEX idx_mod_add_who ON admin_add (who);
CREATE TABLE modlog (id serial PRIMARY KEY, admin_add_id integer,
    CONSTRAINT modlog_mod_add_id_fkey FOREIGN KEY (admin_add_id) REFERENCES admin_add);
";
    let p = Project::new(old);
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["generate", "-m", "moderation"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    db.psql("INSERT INTO mod_add (who) SELECT g FROM generate_series(1, 50) g;")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    p.model(new);
    p.ok(&["generate", "-m", "admin names"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    let next = rows(
        &db,
        "INSERT INTO admin_add (who) VALUES (0) RETURNING id::text",
    );
    assert_eq!(
        next,
        [r#"Some("51")"#],
        "the sequence goes on where mod_add stopped"
    );
    db.psql("INSERT INTO modlog (admin_add_id) VALUES (51);")
        .unwrap();
    let said = p.ok(&["check"]);
    assert!(said.contains("OK"), "{said}");
    // The change may be written as several migrations (downgrades in parts): back to the
    // first one.
    let first = p.files()[0].split('_').next().unwrap().to_string();
    p.ok(&["downgrade", &first, "--database", &url]);
    db.psql("INSERT INTO mod_add (who) VALUES (1); INSERT INTO modlog (mod_add_id) SELECT max(id) FROM mod_add;")
        .unwrap();
}
