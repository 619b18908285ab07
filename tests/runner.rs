//! The migration runner end to end on the binary and real PostgreSQL: session settings,
//! timeouts, re-running interrupted `-- no-transaction` migrations, downgrade targets,
//! missing and changed files, transaction control, `upgrade --sql` run with psql,
//! read-only commands under a read-only role, and a version table of the wrong shape.

mod common;

use common::project::{applied, Project};
use common::{project, TestDb};

const USERS: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);";
const USERS_INDEXED: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE INDEX users_email_idx ON users (lower(email));";

fn setting(db: &TestDb, sql: &str) -> String {
    db.client().query_one(sql, &[]).unwrap().get(0)
}

/// A `SET` in one migration does not reach the next; a concurrent build waits for an
/// open transaction longer than the project's lock_timeout; other statements of a
/// `-- no-transaction` migration run with the project's timeouts.
#[test]
fn settings_do_not_leak_and_concurrent_builds_run_without_timeouts() {
    let p = Project::new(USERS);
    let db = TestDb::new();
    let url = db.url();
    p.set_config("lock_timeout", "\"1s\"");
    db.psql("CREATE TABLE t (id int); CREATE TABLE seen (migration int, lock_timeout text, statement_timeout text);")
        .unwrap();
    p.write(1, "leaky", "SET lock_timeout = '100ms';\nSET statement_timeout = '200ms';\nINSERT INTO seen VALUES (1, current_setting('lock_timeout'), current_setting('statement_timeout'));\n", None);
    p.write(2, "clean", "INSERT INTO seen VALUES (2, current_setting('lock_timeout'), current_setting('statement_timeout'));\n", None);
    p.write(3, "index", "-- no-transaction\n-- a comment first\nCREATE INDEX CONCURRENTLY t_id_idx ON public.t USING btree (id);\n", None);
    p.write(4, "other", "-- no-transaction\nINSERT INTO seen VALUES (4, current_setting('lock_timeout'), current_setting('statement_timeout'));\n", None);

    // A writer's open transaction: the concurrent build waits for it to end.
    let mut writer = db.client();
    writer
        .batch_execute("BEGIN; INSERT INTO t VALUES (1);")
        .unwrap();
    let child = p.spawn(&["upgrade", "--all", "--database", &url]);
    project::wait_until_blocked(&db, "CREATE INDEX CONCURRENTLY");
    // Past both the leaked 100 ms and the project's 1 s.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    writer.batch_execute("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(applied(&db), [1, 2, 3, 4]);
    assert_eq!(
        setting(&db, "SELECT string_agg(format('%s %s %s', migration, lock_timeout, statement_timeout), '; ' ORDER BY migration) FROM seen"),
        "1 100ms 200ms; 2 0 0; 4 1s 30min"
    );
    let valid: bool = db
        .client()
        .query_one(
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id_idx'::regclass",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(valid);
}

/// What an interrupted run leaves behind, made on purpose: an INVALID index (a unique
/// build that failed), an index already built, an enum value already added, an index
/// already dropped. Running the migrations again finishes them.
#[test]
fn a_rerun_finishes_what_an_interrupted_run_left() {
    let p = Project::new(USERS);
    let db = TestDb::new();
    let url = db.url();
    db.psql(
        "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (1), (2);
         CREATE TYPE mood AS ENUM ('ok');",
    )
    .unwrap();
    // A unique build that fails leaves its index INVALID, as a kill would.
    assert!(db
        .psql("CREATE UNIQUE INDEX CONCURRENTLY t_x_key ON t (x);")
        .is_err());
    db.psql(
        "DELETE FROM t WHERE ctid IN (SELECT max(ctid) FROM t GROUP BY x HAVING count(*) > 1);",
    )
    .unwrap();
    // Built already, as the migration builds it.
    db.psql("CREATE INDEX CONCURRENTLY t_x_idx ON t (x);")
        .unwrap();
    db.psql("ALTER TYPE mood ADD VALUE 'meh';").unwrap();
    p.write(1, "unique_x", "-- no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY t_x_key ON public.t USING btree (x);\n",
        Some("-- no-transaction\nDROP INDEX CONCURRENTLY public.t_x_key;\n"));
    p.write(
        2,
        "index_x",
        "-- no-transaction\nCREATE INDEX CONCURRENTLY t_x_idx ON t (x);\n",
        Some("-- no-transaction\nDROP INDEX CONCURRENTLY public.t_x_idx;\n"),
    );
    p.write(
        3,
        "meh",
        "-- no-transaction\nALTER TYPE public.mood ADD VALUE 'meh';\n",
        Some("SELECT 1;\n"),
    );
    let out = p.ok(&["upgrade", "--all", "--database", &url]);
    assert!(out.contains("index public.t_x_key was left INVALID by an interrupted build: dropped (concurrently) and built again"), "{out}");
    assert!(
        out.contains("index public.t_x_idx was built already, as this statement builds it: kept"),
        "{out}"
    );
    assert!(
        out.contains("type public.mood has the value \"meh\" already"),
        "{out}"
    );
    assert_eq!(applied(&db), [1, 2, 3]);
    let invalid: i64 = db
        .client()
        .query_one("SELECT count(*) FROM pg_index WHERE NOT indisvalid", &[])
        .unwrap()
        .get(0);
    assert_eq!(invalid, 0);

    // An index of that name that is not the one the migration builds: an error, and
    // nothing is recorded.
    db.psql("CREATE INDEX CONCURRENTLY t_x_other ON t (x) WHERE x > 0;")
        .unwrap();
    p.write(
        4,
        "other",
        "-- no-transaction\nCREATE INDEX CONCURRENTLY t_x_other ON public.t (x);\n",
        None,
    );
    let err = p.fails(&["upgrade", "--all", "--database", &url], 2);
    assert!(err.contains("index public.t_x_other exists already and is valid, but it is not the index this statement builds"), "{err}");
    assert!(err.contains("WHERE (x > 0)"), "{err}");
    assert_eq!(applied(&db), [1, 2, 3]);
    std::fs::remove_file(p.dir.join("migrations/4_other.up.sql")).unwrap();

    // The downgrade of an index someone dropped already.
    db.psql("DROP INDEX t_x_idx;").unwrap();
    let out = p.ok(&["downgrade", "1", "--database", &url]);
    assert!(
        out.contains("index public.t_x_idx is gone already"),
        "{out}"
    );
    assert_eq!(applied(&db), [1]);
}

/// `-N`, an applied version, `base`; everything else reverts nothing. The warnings of the
/// down files are printed before anything runs.
#[test]
fn downgrade_targets_and_warnings() {
    let p = Project::new(USERS);
    let db = TestDb::new();
    let url = db.url();
    for (v, table) in [(10, "a"), (20, "b"), (30, "c")] {
        p.write(
            v,
            table,
            &format!("CREATE TABLE {table} (id int);\n"),
            Some(&format!("-- pgshift downgrade of migration {v}\n-- warning: this downgrade loses data: drops table public.{table}\n\nDROP TABLE {table};\n")),
        );
    }
    p.ok(&["upgrade", "--all", "--database", &url]);
    for bad in ["0", "1", "-0", "junk", "-4", "15", "+1"] {
        let err = p.fails(&["downgrade", bad, "--database", &url], 2);
        assert!(err.contains("nothing was reverted"), "{bad}: {err}");
        assert_eq!(applied(&db), [10, 20, 30], "{bad}");
    }
    let out = p.ok(&["downgrade", "-2", "--database", &url]);
    assert!(
        out.starts_with("Reverting 2 migrations, newest first:\n  30 c\n    warning: this downgrade loses data: drops table public.c\n  20 b\n"),
        "{out}"
    );
    assert!(out.ends_with("reverted 30 c\nreverted 20 b\n"), "{out}");
    assert_eq!(applied(&db), [10]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    p.ok(&["downgrade", "10", "--database", &url]);
    assert_eq!(applied(&db), [10]);
    p.ok(&["downgrade", "base", "--database", &url]);
    assert!(applied(&db).is_empty());
}

/// A deleted file of an applied migration is named as missing by every command, never
/// taken for a second branch; an edited one stops upgrade before anything runs.
#[test]
fn missing_and_changed_files_are_named() {
    let p = Project::new(USERS);
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["generate", "-m", "users"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    p.model(USERS_INDEXED);
    p.ok(&["generate", "-m", "email index"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    p.model(&format!("{USERS_INDEXED}\nCREATE TABLE notes (id int);"));
    p.ok(&["generate", "-m", "notes"]);
    p.ok(&["upgrade", "--all", "--database", &url]);
    let files = p.files();
    let middle = files
        .iter()
        .find(|f| f.contains("email_index") && f.ends_with(".up.sql"))
        .unwrap()
        .clone();
    let version = middle.split('_').next().unwrap().to_string();
    let dir = p.dir.join("migrations");
    let saved = std::fs::read_to_string(dir.join(&middle)).unwrap();
    std::fs::remove_file(dir.join(&middle)).unwrap();
    for (args, code) in [
        (vec!["upgrade", "--all", "--database", &url], 2),
        (vec!["downgrade", "base", "--database", &url], 2),
        (vec!["check"], 2),
    ] {
        let err = p.fails(&args, code);
        assert!(!err.contains("heads"), "{args:?}: {err}");
        assert!(
            err.contains(&version) && err.contains("git"),
            "{args:?}: {err}"
        );
    }
    let status = p.fails(&["status", "--database", &url], 1);
    assert!(
        status.contains(&format!("missing  {version} email_index")),
        "{status}"
    );
    assert_eq!(applied(&db).len(), 3, "nothing was reverted");

    // Edited after it was applied, with a new migration pending: nothing runs.
    std::fs::write(dir.join(&middle), format!("{saved}\n-- an afterthought\n")).unwrap();
    p.write(
        29990101000000,
        "pending",
        "CREATE TABLE pending (id int);\n",
        None,
    );
    let err = p.fails(&["upgrade", "--all", "--database", &url], 2);
    assert!(
        err.contains(&middle) && err.contains("changed since it was applied (checksum "),
        "{err}"
    );
    assert_eq!(applied(&db).len(), 3);
    assert!(!db.schema().tables.keys().any(|t| t.name == "pending"));
}

/// Transaction control in a transactional migration is refused with its line; in a
/// function body it is not transaction control. A failing statement is shown without
/// its comments, where it is in the file.
#[test]
fn transaction_control_is_refused_and_failures_point_into_the_file() {
    let p = Project::new(USERS);
    let db = TestDb::new();
    let url = db.url();
    // Each lexical form psql knows, hiding a `;` and a COMMIT: E'' strings, dollar quotes
    // with tags (holding `$$`), nested comments, U&'' strings and U&"" identifiers.
    p.write(
        1,
        "ok",
        "CREATE TABLE a (id int);\nDO $$ BEGIN PERFORM 1; END $$;\n\
         CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;\n\
         SELECT E'it\\'s; COMMIT';\n\
         DO $body$ BEGIN PERFORM 'x; $$ COMMIT; $$'; END $body$;\n\
         /* outer /* nested; COMMIT; */ still a comment; ROLLBACK; */ SELECT 1;\n\
         SELECT U&'d\\0061t; COMMIT' AS U&\"x;y\";\n",
        None,
    );
    p.write(
        2,
        "commits",
        "-- header\nCREATE TABLE b (id int);\n\n  COMMIT;\nCREATE TABLE c (id int);\n",
        None,
    );
    let err = p.fails(&["upgrade", "--all", "--database", &url], 2);
    assert!(
        err.contains("migrations/2_commits.up.sql:4:3: `COMMIT` controls the transaction"),
        "{err}"
    );
    assert!(err.contains("-- no-transaction"), "{err}");
    assert!(applied(&db).is_empty(), "checked before anything runs");
    assert!(!db.schema().tables.keys().any(|t| t.name == "a"));

    p.write(2, "commits", "-- header\nCREATE TABLE b (id int);\n-- the next one fails\nALTER TABLE b\n  -- a comment inside\n  ADD COLUMN x no_such_type;\n", None);
    let err = p.fails(&["upgrade", "--all", "--database", &url], 2);
    assert!(
        err.contains("type \"no_such_type\" does not exist"),
        "{err}"
    );
    assert!(err.contains("at migrations/2_commits.up.sql:6:16"), "{err}");
    assert!(
        err.contains("in statement: ALTER TABLE b\n      ADD COLUMN x no_such_type"),
        "{err}"
    );
    assert_eq!(applied(&db), [1]);
}

/// `upgrade --sql` with no database prints every migration; the script runs with psql,
/// after which status and verify agree. With a database it prints only the pending ones
/// and writes nothing.
#[test]
fn upgrade_sql_is_a_psql_script() {
    let p = Project::new(USERS);
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["generate", "-m", "users"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    p.model(USERS_INDEXED);
    p.ok(&["generate", "-m", "email index"]);
    let script = p.ok(&["upgrade", "--all", "--sql"]);
    assert!(script.contains("every migration is included"), "{script}");
    assert!(script.contains("CREATE INDEX CONCURRENTLY"), "{script}");
    assert!(
        script.contains("BEGIN;\n") && script.contains("COMMIT;\n"),
        "{script}"
    );
    // Nothing was created by printing it, on a database given either.
    let fresh = p.ok(&["upgrade", "--all", "--sql", "--database", &url]);
    assert!(fresh.contains("those not applied to"), "{fresh}");
    assert!(!db
        .schema()
        .tables
        .keys()
        .any(|t| t.name == "pgshift_migrations"));

    db.psql(&script).unwrap();
    p.ok(&["status", "--database", &url]);
    assert!(p
        .ok(&["verify", "--schema", "--database", &url])
        .contains("OK: 2 applied"));
    let none = p.ok(&["upgrade", "--all", "--sql", "--database", &url]);
    assert!(none.contains(": 0 pending migrations"), "{none}");
    assert!(!none.contains("INSERT INTO"), "{none}");

    // And back: downgrade --sql reads what is applied, prints the down scripts.
    let down = p.ok(&["downgrade", "base", "--sql", "--database", &url]);
    assert!(
        down.contains("DROP INDEX CONCURRENTLY")
            && down.contains("DELETE FROM public.pgshift_migrations"),
        "{down}"
    );
    assert_eq!(project::applied(&db).len(), 2, "printing reverts nothing");
    db.psql(&down).unwrap();
    assert!(project::applied(&db).is_empty());
    assert!(!db.schema().tables.keys().any(|t| t.name == "users"));
    assert!(p
        .fails(&["status", "--database", &url], 1)
        .contains("pending"));
}

/// status, current, history and verify need only CONNECT and SELECT on the version
/// table, and create nothing; a missing version table means nothing is applied.
#[test]
fn read_only_commands_write_nothing() {
    let p = Project::new(USERS);
    let db = TestDb::new();
    p.write(1, "a", "CREATE TABLE a (id int);\n", None);
    let role = format!("ro_{}", db.name);
    db.psql(&format!(
        "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
    ))
    .unwrap();
    let ro_url = db.url().replace("user=postgres", &format!("user={role}"));
    assert_ne!(ro_url, db.url());
    // No version table yet: nothing is applied, and nothing is created.
    let out = p.fails(&["status", "--database", &ro_url], 1);
    assert!(out.contains("pending  1 a"), "{out}");
    assert!(p.ok(&["current", "--database", &ro_url]).contains("base"));
    p.ok(&["history", "--database", &ro_url]);
    p.ok(&["verify", "--database", &ro_url]);
    assert!(!db
        .schema()
        .tables
        .keys()
        .any(|t| t.name == "pgshift_migrations"));

    p.ok(&["upgrade", "--all", "--database", &db.url()]);
    db.psql(&format!(
        "GRANT SELECT ON public.pgshift_migrations TO {role};"
    ))
    .unwrap();
    p.ok(&["status", "--database", &ro_url]);
    assert!(p.ok(&["current", "--database", &ro_url]).starts_with("1 a"));
    assert!(p
        .ok(&["history", "--database", &ro_url])
        .contains("by postgres"));
    assert!(p
        .ok(&["verify", "--schema", "--database", &ro_url])
        .contains("OK: 1 applied"));
    db.psql(&format!(
        "REASSIGN OWNED BY {role} TO postgres; DROP OWNED BY {role}; DROP ROLE {role};"
    ))
    .unwrap();
}

/// A version table of another shape, a NULL in it, a lock wait past any clock, a
/// version_table that does not parse and a byte order mark: clear errors (or it works),
/// never a panic.
#[test]
fn bad_version_tables_and_settings_are_errors_not_panics() {
    let p = Project::new(USERS);
    let db = TestDb::new();
    let url = db.url();
    p.write(1, "bom", "\u{feff}-- no-transaction\nCREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_idx ON t (id);\n", None);
    let out = p.ok(&[
        "upgrade",
        "--all",
        "--database",
        &url,
        "--lock-wait",
        "604800",
    ]);
    assert!(out.contains("applied 1 bom"), "{out}");
    let err = p.fails(
        &[
            "upgrade",
            "--database",
            &url,
            "--lock-wait",
            "18446744073709551615",
        ],
        2,
    );
    assert!(err.contains("--lock-wait"), "{err}");

    db.psql("ALTER TABLE pgshift_migrations ALTER COLUMN applied_by DROP NOT NULL; UPDATE pgshift_migrations SET applied_by = NULL;")
        .unwrap();
    let err = p.fails(&["history", "--database", &url], 2);
    assert!(
        err.contains("public.pgshift_migrations") && err.contains("has no applied_by (NULL)"),
        "{err}"
    );
    db.psql(
        "DROP TABLE pgshift_migrations; CREATE TABLE pgshift_migrations (version int, name text);",
    )
    .unwrap();
    for cmd in ["status", "upgrade", "current"] {
        let err = p.fails(&[cmd, "--database", &url], 2);
        assert!(
            err.contains("column version is integer, not bigint")
                && err.contains("it has no column checksum"),
            "{cmd}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }

    p.set_config("version_table", "\"a.b.c\"");
    let err = p.fails(&["status", "--database", &url], 2);
    assert!(
        err.contains("pgshift.toml")
            && err.contains("version_table = \"a.b.c\" is not a table name"),
        "{err}"
    );
}

/// `pgshift downgrade | head -1`: the reader goes away after the first line, and the
/// command still reverts everything it said it would (Rust's `println!` panics on a
/// closed pipe; pgshift's output never does). The same for `upgrade` with stderr closed.
#[test]
fn a_closed_output_pipe_never_stops_a_command_halfway() {
    let p = Project::new(USERS);
    let db = TestDb::new();
    let url = db.url();
    for v in 1..=6 {
        p.write(
            v,
            &format!("t{v}"),
            &format!("CREATE TABLE t{v} (id int);\n"),
            Some(&format!("DROP TABLE t{v};\n")),
        );
    }
    p.ok(&["upgrade", "--all", "--database", &url]);
    let run_with_closed = |args: &[&str], close_stderr: bool| {
        let mut c = p.command(args);
        c.stdout(std::process::Stdio::piped());
        c.stderr(std::process::Stdio::piped());
        let mut child = c.spawn().expect("start pgshift");
        // Both pipes closed before pgshift writes its first line.
        drop(child.stdout.take());
        if close_stderr {
            drop(child.stderr.take());
        }
        child.wait().expect("wait for pgshift")
    };
    let status = run_with_closed(&["downgrade", "base", "--database", &url], false);
    assert_eq!(status.code(), Some(0), "downgrade with its stdout closed");
    assert!(applied(&db).is_empty(), "every migration reverted");
    let status = run_with_closed(&["upgrade", "--all", "--database", &url], true);
    assert_eq!(
        status.code(),
        Some(0),
        "upgrade with stdout and stderr closed"
    );
    assert_eq!(applied(&db), [1, 2, 3, 4, 5, 6]);
}
