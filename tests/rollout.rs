//! Rollout in phases through the binary, on real PostgreSQL: a table of 1,000,000 rows
//! gets a NOT NULL column filled by a backfill and a renamed column.
//!
//! - `upgrade` applies the expand phase and stops before the contract, saying what waits;
//! - an "old application" (it knows neither the new column nor the new name) reads and
//!   writes through expand and backfill, no statement past 300 ms;
//! - the backfill is killed (kill -9 of `upgrade`) mid-way and resumed by `upgrade`: a
//!   trigger `AFTER UPDATE OF` the new column logs every row the backfill writes, and each
//!   row is there exactly once;
//! - `complete` refuses while rows are unfilled (the old application inserted some after
//!   the backfill passed), and succeeds once they are filled;
//! - `downgrade expand` of a copy taken before `complete` restores the old schema with
//!   its data;
//! - progress lines appear for the backfill, and for a concurrent index build waiting
//!   for a transaction, naming the session that holds it.

mod common;

use common::accounts::accounts;
use common::load::{Load, Outcome};
use common::project::Project;
use common::{cluster, psql_binary, TestDb};
use std::thread;
use std::time::{Duration, Instant};

const ROWS: i64 = 1_000_000;
const LIMIT: Duration = Duration::from_millis(300);

const OLD: &str = accounts!(full_name: "not_null = true", email: "not_null = true");

/// `full_name` renamed, and a required `email_lower` filled by a backfill.
const NEW: &str = accounts!(
    display_name: "not_null = true\nrenamed_from = \"full_name\"",
    email: "not_null = true",
    email_lower: "not_null = true\nbackfill = \"lower(email)\"",
);

fn project(model: &str) -> Project {
    Project::init_with("rollout", "schema.toml", model, &[])
}

fn count(db: &TestDb, sql: &str) -> i64 {
    db.client().query_one(sql, &[]).expect(sql).get(0)
}

/// Batches of 4,000 rows without a pause: the test's 1,000,000 rows in 250 batches. A row
/// the old application updates waits for the batch that holds it: at ~30,000 rows/s a
/// batch of 10,000 held rows for ~300 ms on a loaded machine (seen: an UPDATE waited 314
/// ms), one of 4,000 for ~130 ms.
fn fast_backfills(p: &Project) {
    let path = p.dir.join("pgshift.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[backfill]\nbatch_rows = 4000\npause = \"0\"\n");
    std::fs::write(path, text).unwrap();
}

/// The old application: inserts and updates rows by the old column names, reads
/// `full_name`; it has never heard of `email_lower` or `display_name`. One statement of
/// the three each time, in turn (`common::load`).
fn old_application(c: &mut postgres::Client, i: i64) -> Outcome {
    let id = 1 + (i * 104_729) % ROWS;
    let (what, result) = match i % 3 {
        0 => (
            "insert",
            c.execute(
                "INSERT INTO accounts (full_name, email) VALUES ($1, $2)",
                &[&format!("old app {i}"), &format!("Old{i}@Example.org")],
            )
            .map(|_| ()),
        ),
        1 => (
            "update",
            c.execute(
                "UPDATE accounts SET full_name = full_name || '.' WHERE id = $1",
                &[&id],
            )
            .map(|_| ()),
        ),
        _ => (
            "select",
            c.query_opt(
                "SELECT full_name, email FROM accounts WHERE id = $1",
                &[&id],
            )
            .map(|_| ()),
        ),
    };
    result.map(|()| what).map_err(|e| (what, e))
}

/// The versions of the generated migrations whose up file holds `fragment`.
fn versions_with(p: &Project, fragment: &str) -> Vec<i64> {
    p.files()
        .iter()
        .filter(|f| f.ends_with(".up.sql"))
        .filter(|f| {
            std::fs::read_to_string(p.dir.join("migrations").join(f))
                .unwrap()
                .contains(fragment)
        })
        .map(|f| f.split('_').next().unwrap().parse().unwrap())
        .collect()
}

/// Waits until the backfill of `db` reports at least `rows` rows scanned.
fn wait_for_backfill(db: &TestDb, rows: i64) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let scanned: Option<i64> = db
            .client()
            .query_opt(
                "SELECT split_part(application_name, ' ', 4)::bigint FROM pg_stat_activity \
                 WHERE application_name LIKE 'pgshift backfill % % % %'",
                &[],
            )
            .unwrap()
            .map(|r| r.get(0));
        if scanned.is_some_and(|s| s >= rows) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the backfill never reached {rows} rows"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// The resumed backfill's progress lines: its rate is the rows this run updated over the
/// time it has run, and the rows the killed run filled (`done_before`), which it walks past,
/// are not among them.
fn rate_counts_this_run_only(stderr: &str, done_before: i64) {
    let mut checked = 0;
    for line in stderr.lines() {
        let Some(rest) = line.strip_prefix("progress: backfill: ") else {
            continue;
        };
        let Some((walked, rest)) = rest
            .split_once("] ")
            .and_then(|(_, r)| r.split_once(" of "))
        else {
            continue;
        };
        let number = |text: &str| -> f64 { text.trim().parse().expect(line) };
        let walked = number(walked);
        let (_, rest) = rest.split_once("), ").expect(line);
        let (updated, rest) = rest.split_once(" rows updated in ").expect(line);
        let (seconds, rest) = rest.split_once(" s, ").expect(line);
        let (rate, _) = rest.split_once(" rows/s").expect(line);
        let (updated, seconds, rate) = (number(updated), number(seconds), number(rate));
        // `seconds` is printed to a tenth: the rate is within that of updated / seconds.
        let expected = updated / seconds;
        assert!(
            (rate - expected).abs() <= expected * 0.1 / seconds + 1.0,
            "{line}: {rate} rows/s, expected {expected:.0}"
        );
        if walked >= (done_before + 20_000) as f64 {
            assert!(
                walked - updated >= (done_before - 20_000) as f64,
                "{line}: the rows filled before the kill ({done_before}) count as updated"
            );
            checked += 1;
        }
    }
    assert!(
        checked > 0,
        "no progress line past the rows filled before the kill:\n{stderr}"
    );
}

#[test]
fn a_rollout_in_phases_on_a_million_rows() {
    let t0 = Instant::now();
    let db = TestDb::new();
    let url = db.url();
    let p = project(OLD);
    fast_backfills(&p);
    p.ok(&["generate", "-m", "accounts"]);
    p.ok(&["upgrade", "--database", &url]);
    db.psql(&format!(
        "INSERT INTO accounts (full_name, email) SELECT 'Name ' || i, 'User' || i || '@Example.org' \
         FROM generate_series(1, {ROWS}) i; VACUUM ANALYZE accounts;"
    ))
    .expect("rows");
    let before_md5: String = db
        .client()
        .query_one(
            "SELECT md5(string_agg(id || ':' || full_name || ':' || email, ',' ORDER BY id)) FROM accounts",
            &[],
        )
        .unwrap()
        .get(0);
    eprintln!("loaded in {:?}", t0.elapsed());

    std::fs::write(p.dir.join("schema.toml"), NEW).unwrap();
    let generated = p.ok(&["generate", "-m", "rollout"]);
    eprintln!("{generated}");
    let fill = versions_with(&p, "SET email_lower = lower(email)");
    assert_eq!(fill.len(), 1, "one backfill migration for email_lower");
    // Everything before the backfill, then the trigger that logs what the backfill writes.
    p.ok(&["upgrade", "--database", &url, &(fill[0] - 1).to_string()]);
    db.psql(
        "CREATE TABLE fill_log (id bigint NOT NULL);
         CREATE FUNCTION log_fill() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN INSERT INTO fill_log VALUES (NEW.id); RETURN NULL; END $$;
         CREATE TRIGGER log_fill AFTER UPDATE OF email_lower ON accounts
             FOR EACH ROW EXECUTE FUNCTION log_fill();",
    )
    .expect("fill log");

    let mut load = Load::new(LIMIT, Duration::from_millis(5));
    load.spawn("old application", db.client(), old_application);
    let (done_at_kill, _) = load.during(|| {
        // Kill -9 of the runner in the middle of the backfill.
        let mut child = p.spawn(&["upgrade", "--database", &url]);
        wait_for_backfill(&db, ROWS / 3);
        child.kill().unwrap();
        child.wait().unwrap();
        thread::sleep(Duration::from_secs(2));
        let done_at_kill = count(&db, "SELECT count(*) FROM fill_log");
        assert!(
            done_at_kill > 0 && done_at_kill < ROWS,
            "killed mid-way: {done_at_kill} rows filled"
        );
        // Before the backfill is done, complete refuses (the expand phase is not applied).
        let refused = p.fails(&["complete", "--database", &url], 2);
        assert!(refused.contains("cannot complete"), "{refused}");
        // Resume: the same command.
        let out = p.run(&["upgrade", "--database", &url]);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        );
        assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
        eprintln!("{stdout}{stderr}");
        assert!(
            stdout.contains("Stopped before the contract phase"),
            "upgrade must stop before the contract:\n{stdout}"
        );
        assert!(
            stderr.contains("progress: backfill: "),
            "no backfill progress on stderr:\n{stderr}"
        );
        rate_counts_this_run_only(&stderr, done_at_kill);
        done_at_kill
    });
    let seen = load.stop("rollout");
    seen[0].assert_never_blocked("old application", 100, LIMIT);
    assert!(done_at_kill > 0);

    // Exactly once: every row the backfill saw is in the log once.
    let logged = count(&db, "SELECT count(*) FROM fill_log");
    let distinct = count(&db, "SELECT count(DISTINCT id) FROM fill_log");
    assert_eq!(logged, distinct, "some rows were filled twice");
    assert!(logged >= ROWS, "{logged} rows filled");
    let wrong = count(
        &db,
        "SELECT count(*) FROM accounts WHERE email_lower IS DISTINCT FROM lower(email) \
         AND id <= 1000000",
    );
    assert_eq!(wrong, 0, "rows of the first million not filled right");
    // The old application was renamed under: the new column holds its writes too.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM accounts WHERE display_name IS DISTINCT FROM full_name"
        ),
        0
    );
    let status = p.run(&["status", "--database", &url]);
    let status = String::from_utf8_lossy(&status.stdout).to_string();
    assert!(status.contains("phase: expand applied"), "{status}");

    // A copy for the rollback, before the contract phase.
    let copy = format!("{}_copy", db.name);
    cluster()
        .connect("postgres")
        .unwrap()
        .batch_execute(&format!("CREATE DATABASE {copy} TEMPLATE {}", db.name))
        .unwrap();
    let copy_url = url.replace(&format!("/{}?", db.name), &format!("/{copy}?"));
    assert_ne!(copy_url, url);

    // Rows the old application inserted after the backfill passed them are unfilled.
    let unfilled = count(
        &db,
        "SELECT count(*) FROM accounts WHERE email_lower IS NULL",
    );
    if unfilled > 0 {
        let refused = p.fails(&["complete", "--database", &url], 2);
        assert!(
            refused.contains("rows of public.accounts still match `email_lower IS NULL`"),
            "{refused}"
        );
        // The backfill's file again, with psql: it fills only what is left.
        let file = p
            .files()
            .into_iter()
            .find(|f| f.starts_with(&fill[0].to_string()) && f.ends_with(".up.sql"))
            .unwrap();
        let ran = std::process::Command::new(psql_binary())
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url, "-f"])
            .arg(p.dir.join("migrations").join(file))
            .output()
            .unwrap();
        assert!(
            ran.status.success(),
            "{}",
            String::from_utf8_lossy(&ran.stderr)
        );
    }
    let completed = p.ok(&["complete", "--database", &url]);
    eprintln!("{completed}");
    assert!(completed.contains("applied "), "{completed}");
    let logged = count(&db, "SELECT count(*) FROM fill_log");
    assert_eq!(
        logged,
        count(&db, "SELECT count(DISTINCT id) FROM fill_log"),
        "the second run filled rows twice"
    );
    let diff = p.ok(&[
        "diff",
        "--from",
        &url,
        "--to",
        "schema.toml",
        "--exclude",
        "public.fill_log",
        "--exclude",
        "public.log_fill*",
    ]);
    assert!(
        diff.lines().all(|l| l.is_empty()
            || l.starts_with("--")
            || l.starts_with("SET ")
            || l.contains("log_fill")),
        "after complete the database is the model:\n{diff}"
    );

    // The rollback of the uncompleted expand, on the copy: the old schema with its data.
    // (The test's own log trigger on the new column goes first.)
    cluster()
        .connect(&copy)
        .unwrap()
        .batch_execute("DROP TRIGGER log_fill ON accounts")
        .unwrap();
    let rolled = p.ok(&["downgrade", "expand", "--database", &copy_url]);
    eprintln!("{rolled}");
    let mut c = cluster().connect(&copy).unwrap();
    let columns: Vec<String> = c
        .query(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = 'accounts'::regclass \
             AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(columns, ["id", "full_name", "email"]);
    let after_md5: String = c
        .query_one(
            "SELECT md5(string_agg(id || ':' || full_name || ':' || email, ',' ORDER BY id)) \
             FROM accounts WHERE id <= 1000000 AND full_name NOT LIKE '%.'",
            &[],
        )
        .unwrap()
        .get(0);
    let expected: String = db
        .client()
        .query_one(
            "SELECT md5(string_agg(id || ':' || display_name || ':' || email, ',' ORDER BY id)) \
             FROM accounts WHERE id <= 1000000 AND display_name NOT LIKE '%.'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(after_md5, expected, "the rollback lost or changed data");
    assert!(!before_md5.is_empty());
    drop(c);
    let _ = cluster()
        .connect("postgres")
        .unwrap()
        .batch_execute(&format!("DROP DATABASE {copy} WITH (FORCE)"));
    eprintln!("total {:?}", t0.elapsed());
}

/// A concurrent index build waits for a transaction another session holds open: the
/// runner's progress names that session, then shows the build.
#[test]
fn progress_names_the_lock_holder_of_an_index_build() {
    let db = TestDb::new();
    let url = db.url();
    let p = project(OLD);
    p.ok(&["generate", "-m", "accounts"]);
    p.ok(&["upgrade", "--database", &url]);
    db.psql(
        "INSERT INTO accounts (full_name, email) SELECT 'Name ' || i, 'u' || i \
         FROM generate_series(1, 200000) i;",
    )
    .unwrap();
    let indexed = OLD.to_string()
        + "\n[tables.\"public.accounts\".indexes.accounts_email_idx]\nexpressions = [\"lower(email)\"]\n";
    std::fs::write(p.dir.join("schema.toml"), indexed).unwrap();
    p.ok(&["generate", "-m", "index"]);
    let mut holder = db.client();
    holder
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM accounts")
        .unwrap();
    let holder_pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let child = p.spawn(&["upgrade", "--database", &url]);
    thread::sleep(Duration::from_secs(4));
    holder.batch_execute("COMMIT").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("for a lock held by pid {holder_pid} ")),
        "the progress does not name the session that holds the lock:\n{stderr}"
    );
    assert!(stderr.contains("progress: "), "{stderr}");
    let quiet = {
        std::fs::write(p.dir.join("schema.toml"), OLD).unwrap();
        p.ok(&["generate", "-m", "drop index"]);
        let mut holder = db.client();
        holder
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM accounts")
            .unwrap();
        let child = p.spawn(&["upgrade", "--database", &url, "--quiet"]);
        thread::sleep(Duration::from_secs(3));
        holder.batch_execute("COMMIT").unwrap();
        child.wait_with_output().unwrap()
    };
    assert_eq!(quiet.status.code(), Some(0));
    assert!(
        !String::from_utf8_lossy(&quiet.stderr).contains("progress:"),
        "--quiet printed progress"
    );
}

/// A table without a primary key: its backfill walks ctid ranges.
const NO_KEY_OLD: &str = r#"
[[tables."public.events".columns]]
name = "payload"
type = "text"
not_null = true
"#;

const NO_KEY_NEW: &str = r#"
[[tables."public.events".columns]]
name = "payload"
type = "text"
not_null = true

[[tables."public.events".columns]]
name = "size"
type = "integer"
not_null = true
backfill = "length(payload)"
"#;

/// The backfill files `generate` writes, with the header lines that hold dates and
/// versions left out.
fn backfill_files(old: &str, new: &str) -> String {
    let p = project(old);
    p.ok(&["generate", "-m", "base"]);
    std::fs::write(p.dir.join("schema.toml"), new).unwrap();
    p.ok(&["generate", "-m", "change"]);
    let mut out = String::new();
    for f in p.files() {
        let text = std::fs::read_to_string(p.dir.join("migrations").join(&f)).unwrap();
        if !text.contains("DO $pgshift$") || !f.contains("_change") {
            continue;
        }
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| {
                ![
                    "-- pgshift migration: ",
                    "-- parent: ",
                    "-- created: ",
                    "-- pgshift downgrade of migration ",
                ]
                .iter()
                .any(|p| l.starts_with(p))
            })
            .collect();
        let kind = if f.ends_with(".up.sql") { "up" } else { "down" };
        out.push_str(&format!("==> {kind}\n{}\n", kept.join("\n")));
    }
    out
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => "../snapshots/rollout",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn generated_backfill_files() {
    snapshot!("keyset_by_primary_key", backfill_files(OLD, NEW));
    snapshot!("ctid_without_a_key", backfill_files(NO_KEY_OLD, NO_KEY_NEW));
}

/// A `.sql` model has no rename hints: a column and a table that leave the model are
/// dropped, and the application still running reads them. `upgrade` must not drop them;
/// `complete` does, once the new application is out. Seen before the fix: 300,000 values
/// gone on the first `upgrade`.
#[test]
fn removed_columns_and_tables_wait_for_complete() {
    let db = TestDb::new();
    let url = db.url();
    let p = Project::new(
        "CREATE TYPE mood AS ENUM ('ok', 'meh');
         CREATE TABLE people (id bigint PRIMARY KEY, full_name text NOT NULL, name text);
         CREATE TABLE moods (id bigint PRIMARY KEY, person bigint REFERENCES people, m mood);",
    );
    p.ok(&["generate", "-m", "people"]);
    p.ok(&["upgrade", "--database", &url]);
    db.psql(
        "INSERT INTO people SELECT i, 'Name ' || i, NULL FROM generate_series(1, 300000) i;
         INSERT INTO moods SELECT i, i, 'ok' FROM generate_series(1, 1000) i;",
    )
    .expect("rows");

    // The new model: `name` replaces `full_name` (no hint in SQL), `moods` and its type go;
    // a new index is the expand phase's work.
    p.model(
        "CREATE TABLE people (id bigint PRIMARY KEY, name text);
         CREATE INDEX people_name ON people (name);",
    );
    let generated = p.ok(&["generate", "-m", "drop full_name"]);
    assert!(generated.contains("DATA_LOSS"), "{generated}");
    let out = p.ok(&["upgrade", "--database", &url]);
    assert!(out.contains("Stopped before the contract phase"), "{out}");
    // The expand phase ran (the index is there); nothing was dropped.
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pg_indexes WHERE indexname = 'people_name'"
        ),
        1
    );
    assert_eq!(
        count(&db, "SELECT count(full_name) FROM people"),
        300_000,
        "upgrade dropped a column the running application reads"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM moods"), 1000);
    // `status` exits 1 while migrations are pending; it names the phase.
    let status =
        String::from_utf8_lossy(&p.run(&["status", "--database", &url]).stdout).to_string();
    assert!(status.contains("contract waiting"), "{status}");

    p.ok(&["complete", "--database", &url]);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM information_schema.columns WHERE column_name = 'full_name'"
        ),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM pg_class WHERE relname = 'moods'"),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM pg_type WHERE typname = 'mood'"),
        0
    );
    p.ok(&["verify", "--schema", "--database", &url]);
}
