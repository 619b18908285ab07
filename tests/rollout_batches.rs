//! Batched backfills through the binary, on real PostgreSQL, on tables small enough for a
//! test (what is shown does not depend on size): `[backfill]` reaches the script of
//! `upgrade --sql`; `upgrade --all` refuses a contract migration whose backfill has rows
//! left; a batch that waits past its lock timeout for a row another session holds is
//! retried (and the holder named) until the lock is released, each row filled once; and
//! the wait while a real streaming standby's replay lags past the ceiling (in time, and in WAL
//! bytes still to replay).

mod common;

use common::accounts::{accounts, EMAIL_LOWER};
use common::load::{Load, Outcome};
use common::project::{temp_dir, Project};
use common::standby::Replicated;
use common::{psql_binary, TestDb};
use std::thread;
use std::time::{Duration, Instant};

const OLD: &str = accounts!(full_name: "not_null = true", email);

/// `OLD` with a required column filled from `email`.
fn filled() -> String {
    format!("{OLD}{EMAIL_LOWER}")
}

/// A project with `OLD` applied to `url`, `rows` rows loaded, `[backfill]` as given, and
/// the migrations of `filled()` generated.
fn prepared(url: &str, rows: i64, backfill: &str) -> Project {
    let p = Project::init_with("rollout-batches", "schema.toml", OLD, &[]);
    let config = p.dir.join("pgshift.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}\n[backfill]\n{backfill}\n")).unwrap();
    p.ok(&["generate", "-m", "accounts"]);
    p.ok(&["upgrade", "--database", url]);
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.batch_execute(&format!(
        "INSERT INTO accounts (full_name, email) SELECT 'Name ' || i, 'User' || i || '@Example.org' \
         FROM generate_series(1, {rows}) i; ANALYZE accounts;"
    ))
    .unwrap();
    std::fs::write(p.dir.join("schema.toml"), filled()).unwrap();
    p.ok(&["generate", "-m", "fill"]);
    p
}

/// The file of the backfill migration, and its version.
fn backfill_file(p: &Project) -> (i64, std::path::PathBuf) {
    let found: Vec<String> = p
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".up.sql"))
        .filter(|f| {
            std::fs::read_to_string(p.dir.join("migrations").join(f))
                .unwrap()
                .contains("SET email_lower = lower(email)")
        })
        .collect();
    assert_eq!(found.len(), 1, "one backfill migration: {found:?}");
    let version = found[0].split('_').next().unwrap().parse().unwrap();
    (version, p.dir.join("migrations").join(&found[0]))
}

/// A trigger that logs each row whose `email_lower` is written: the proof that each row
/// is filled exactly once.
const FILL_LOG: &str = "CREATE TABLE fill_log (id bigint NOT NULL);
    CREATE FUNCTION log_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO fill_log VALUES (NEW.id); RETURN NULL; END $$;
    CREATE TRIGGER log_fill AFTER UPDATE OF email_lower ON accounts
        FOR EACH ROW EXECUTE FUNCTION log_fill();";

fn count(c: &mut postgres::Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).expect(sql).get(0)
}

/// Every row of the first `rows` filled right, each logged exactly once.
fn assert_filled_once(c: &mut postgres::Client, rows: i64) {
    let logged = count(c, "SELECT count(*) FROM fill_log");
    let distinct = count(c, "SELECT count(DISTINCT id) FROM fill_log");
    assert_eq!(logged, distinct, "some rows were filled twice");
    assert!(logged >= rows, "{logged} rows filled of {rows}");
    let wrong = count(
        c,
        &format!(
            "SELECT count(*) FROM accounts WHERE id <= {rows} \
             AND email_lower IS DISTINCT FROM lower(email)"
        ),
    );
    assert_eq!(wrong, 0, "rows not filled right");
}

#[test]
fn upgrade_sql_sets_the_backfill_settings_of_pgshift_toml() {
    let db = TestDb::new();
    let url = db.url();
    let p = prepared(&url, 100, "batch_rows = 7\npause = \"0\"");
    let script = p.ok(&["upgrade", "--sql", "--database", &url]);
    assert!(
        script.contains("SET pgshift.batch_rows = '7';\nSET pgshift.batch_pause = '0';"),
        "{script}"
    );
    let file = temp_dir("upgrade-sql").join("upgrade.sql");
    std::fs::write(&file, &script).unwrap();
    let ran = std::process::Command::new(psql_binary())
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url, "-f"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert!(ran.status.success(), "{stderr}");
    // 100 rows, 7 a batch: 15 batches (the default, 2,000, would make one).
    assert!(
        stderr.contains("pgshift backfill of public.accounts: 100 rows updated in 15 batches"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

/// sqlx-cli and sea-orm-migration run a backfill file as it is, with no session
/// parameters: `generate` writes `[backfill]` into it as the block's defaults. Run here the
/// way sqlx-cli runs a `-- no-transaction` file: the whole file as one simple query.
#[test]
fn a_generated_backfill_file_run_as_it_is_uses_the_backfill_settings() {
    let db = TestDb::new();
    let url = db.url();
    let p = prepared(
        &url,
        100,
        "batch_rows = 7\npause = \"0\"\nmax_replication_lag_bytes = \"64MB\"",
    );
    let (fill, path) = backfill_file(&p);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("'64MB'"), "{text}");
    p.ok(&["upgrade", "--database", &url, &(fill - 1).to_string()]);
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let notices = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
    let seen = notices.clone();
    let mut config: postgres::Config = url.parse().unwrap();
    config.notice_callback(move |n| seen.lock().unwrap().push(n.message().to_string()));
    let mut raw = config.connect(postgres::NoTls).unwrap();
    raw.batch_execute(&text)
        .expect("the file runs as one query");
    // 100 rows, 7 a batch: 15 batches (the built-in default, 2,000, would make one).
    let notices = notices.lock().unwrap().join("\n");
    assert!(
        notices.contains("pgshift backfill of public.accounts: 100 rows updated in 15 batches"),
        "{notices}"
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM accounts WHERE email_lower IS NULL"
        ),
        0
    );
}

#[test]
fn upgrade_all_refuses_a_contract_while_its_backfill_has_rows_left() {
    let db = TestDb::new();
    let url = db.url();
    let p = prepared(&url, 50, "pause = \"0\"");
    // Rows the backfill leaves unfilled: lower(NULL) is NULL.
    db.psql("UPDATE accounts SET email = NULL WHERE id % 10 = 0")
        .unwrap();
    let (fill, file) = backfill_file(&p);
    let refused = p.fails(&["upgrade", "--all", "--database", &url], 2);
    assert!(
        refused.contains("cannot apply contract migration ")
            && refused.contains("a backfill it depends on is unfinished")
            && refused.contains(&format!("  migration {fill} fill_"))
            && refused.contains(": 5 rows of public.accounts still match `email_lower IS NULL`")
            && refused.contains("hint: ")
            && refused.contains("psql -f"),
        "{refused}"
    );
    // The expand phase and the backfill are applied; no contract migration is.
    let applied = common::project::applied(&db);
    assert!(applied.contains(&fill), "{applied:?}");
    let status =
        String::from_utf8_lossy(&p.run(&["status", "--database", &url]).stdout).to_string();
    assert!(status.contains("phase: expand applied"), "{status}");
    let nullable: String = db
        .client()
        .query_one(
            "SELECT is_nullable FROM information_schema.columns \
             WHERE table_name = 'accounts' AND column_name = 'email_lower'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(nullable, "YES", "the contract ran");

    // As the hint says: fill the rows, the backfill's file again, then upgrade --all.
    db.psql("UPDATE accounts SET email = 'x' || id WHERE email IS NULL")
        .unwrap();
    let ran = std::process::Command::new(psql_binary())
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url, "-f"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let done = p.ok(&["upgrade", "--all", "--database", &url]);
    assert!(done.contains("applied "), "{done}");
    let nulls = count(
        &mut db.client(),
        "SELECT count(*) FROM accounts WHERE email_lower IS NULL",
    );
    assert_eq!(nulls, 0);
}

/// A writer of the old application (`common::load`): updates `full_name` of the first
/// `ROWS` rows but `HELD` (which another session holds), inserts rows.
fn writer(c: &mut postgres::Client, i: i64) -> Outcome {
    let id = 1 + (i * 7919) % LOCKED_ROWS;
    let id = if id == HELD { id + 1 } else { id };
    if i % 4 == 0 {
        c.execute(
            "INSERT INTO accounts (full_name, email) VALUES ('new', 'New@Example.org')",
            &[],
        )
        .map(|_| "insert")
        .map_err(|e| ("insert", e))
    } else {
        c.execute(
            "UPDATE accounts SET full_name = full_name || '.' WHERE id = $1",
            &[&id],
        )
        .map(|_| "update")
        .map_err(|e| ("update", e))
    }
}

const LOCKED_ROWS: i64 = 20_000;
const HELD: i64 = 15_000;

#[test]
fn a_batch_waiting_past_its_lock_timeout_is_retried_until_the_row_is_free() {
    const ROWS: i64 = LOCKED_ROWS;
    let db = TestDb::new();
    let url = db.url();
    let p = prepared(
        &url,
        ROWS,
        "batch_rows = 1000\npause = \"20ms\"\nlock_timeout = \"300ms\"",
    );
    let (fill, _) = backfill_file(&p);
    p.ok(&["upgrade", "--database", &url, &(fill - 1).to_string()]);
    db.psql(FILL_LOG).unwrap();

    // Another session holds a row of the 15th batch.
    let mut holder = db.client();
    holder
        .batch_execute(&format!(
            "BEGIN; SELECT * FROM accounts WHERE id = {HELD} FOR UPDATE"
        ))
        .unwrap();
    let holder_pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    // A writer meeting a row of the batch being retried waits at most the batch's 300 ms
    // lock timeout.
    let mut load = Load::new(Duration::from_secs(1), Duration::from_millis(5));
    load.spawn("writer", db.client(), writer);
    let mut c = db.client();
    let (out, _) = load.during(|| {
        let mut child = p.spawn(&["upgrade", "--database", &url]);
        // The backfill reaches the row and waits for it.
        let deadline = Instant::now() + Duration::from_secs(120);
        while count(
            &mut c,
            &format!(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'pgshift backfill%' \
             AND {holder_pid} = ANY (pg_blocking_pids(pid))"
        ),
        ) == 0
        {
            assert!(
                Instant::now() < deadline,
                "the backfill never waited for the row"
            );
            thread::sleep(Duration::from_millis(50));
        }
        let filled_then = count(&mut c, "SELECT count(*) FROM fill_log");
        // Several times the batch lock timeout: the batch is retried, not failed.
        thread::sleep(Duration::from_secs(5));
        assert!(
            child.try_wait().unwrap().is_none(),
            "the backfill ended while the row was held"
        );
        let filled_held = count(&mut c, "SELECT count(*) FROM fill_log");
        assert!(
            filled_held == filled_then && filled_held < ROWS,
            "the batch went on past the held row: {filled_then} then {filled_held}"
        );
        holder.batch_execute("COMMIT").unwrap();
        child.wait_with_output().unwrap()
    });
    let seen = load.stop("lock retry");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    eprintln!("{stdout}{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("Stopped before the contract phase"),
        "{stdout}"
    );
    let retries = stderr
        .matches(
            "notice: pgshift backfill of public.accounts: a row lock was not granted within \
             300ms; retrying the batch",
        )
        .count();
    assert!(retries >= 3, "{retries} retries:\n{stderr}");
    assert!(
        stderr.contains(&format!("for a lock held by pid {holder_pid} ")),
        "the progress does not name the session holding the row:\n{stderr}"
    );
    // How long the batch has waited for the row (at most its 300 ms lock timeout), not
    // how long the backfill has run.
    for line in stderr
        .lines()
        .filter(|l| l.contains(" for a lock held by "))
    {
        let waited: f64 = line
            .split("waiting ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{line}"));
        assert!(waited < 1.0, "{line}");
    }
    seen[0].assert_never_blocked("writer", 50, Duration::from_secs(1));
    assert_filled_once(&mut c, ROWS);
}

#[test]
fn the_backfill_waits_while_a_standby_replays_behind_the_ceiling() {
    waits_for_a_paused_standby(
        "max_replication_lag = \"1s\"",
        "SELECT extract(epoch FROM replay_lag)::float8 FROM pg_stat_replication",
        1.0,
    );
}

/// The byte ceiling: WAL the standby has received but not replayed.
#[test]
fn the_backfill_waits_while_a_standby_has_more_wal_to_replay_than_the_ceiling() {
    waits_for_a_paused_standby(
        "max_replication_lag_bytes = \"256kB\"",
        "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 FROM pg_stat_replication",
        256.0 * 1024.0,
    );
}

/// A backfill under `ceiling` on a primary whose standby has replay paused: it waits once
/// `lag_sql` (run on the primary) passes `over`, goes on once replay resumes, and the
/// standby gets every row.
fn waits_for_a_paused_standby(ceiling: &str, lag_sql: &str, over: f64) {
    const ROWS: i64 = 30_000;
    let rep = Replicated::start();
    rep.primary
        .connect("postgres")
        .unwrap()
        .batch_execute("CREATE DATABASE lag")
        .unwrap();
    let url = rep.primary_url("lag");
    let p = prepared(
        &url,
        ROWS,
        &format!("batch_rows = 1000\npause = \"100ms\"\n{ceiling}"),
    );
    let (fill, _) = backfill_file(&p);
    p.ok(&["upgrade", "--database", &url, &(fill - 1).to_string()]);
    let mut c = rep.primary.connect("lag").unwrap();
    c.batch_execute(FILL_LOG).unwrap();
    let mut standby = rep.standby_client("postgres").unwrap();
    // Caught up, then replay paused: the standby receives WAL and applies none of it.
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(
        &mut c,
        "SELECT count(*) FROM pg_stat_replication \
         WHERE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) > 0",
    ) > 0
    {
        assert!(Instant::now() < deadline, "the standby never caught up");
        thread::sleep(Duration::from_millis(100));
    }
    standby
        .batch_execute("SELECT pg_wal_replay_pause()")
        .unwrap();

    let child = p.spawn(&["upgrade", "--database", &url]);
    // The backfill's own WAL makes the lag grow past the ceiling; then it waits.
    let deadline = Instant::now() + Duration::from_secs(120);
    while count(
        &mut c,
        "SELECT count(*) FROM pg_stat_activity \
         WHERE application_name = 'pgshift backfill: waiting for replicas'",
    ) == 0
    {
        assert!(
            Instant::now() < deadline,
            "the backfill never waited for the standby"
        );
        thread::sleep(Duration::from_millis(50));
    }
    let lag: f64 = c.query_one(lag_sql, &[]).unwrap().get(0);
    assert!(lag > over, "waiting, with a replay lag of {lag}");
    let filled_then = count(&mut c, "SELECT count(*) FROM fill_log");
    thread::sleep(Duration::from_secs(4));
    let filled_later = count(&mut c, "SELECT count(*) FROM fill_log");
    assert!(
        filled_later == filled_then && filled_then < ROWS,
        "the backfill went on while the standby lagged: {filled_then} then {filled_later}"
    );
    let lag_later: f64 = c.query_one(lag_sql, &[]).unwrap().get(0);
    eprintln!("replay lag {lag:.1} when the wait began, {lag_later:.1} 4 s later");
    // While replay is paused the lag the primary reports never shrinks (the time lag grows
    // with each reply of the standby and stays as it was between replies; the WAL behind
    // only grows).
    assert!(lag_later >= lag, "{lag} then {lag_later}");

    standby
        .batch_execute("SELECT pg_wal_replay_resume()")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    eprintln!("{stdout}{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stderr.contains("progress: backfill: waiting for replicas"),
        "the output does not say it waits:\n{stderr}"
    );
    assert_filled_once(&mut c, ROWS);
    // And the standby gets every row once it replays.
    let mut on_standby = rep.standby_client("lag").unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let unfilled = count(
            &mut on_standby,
            "SELECT count(*) FROM accounts WHERE email_lower IS NULL",
        );
        if unfilled == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the standby never replayed the backfill: {unfilled} rows unfilled"
        );
        thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn upgrade_fleet_all_refuses_a_contract_on_the_target_whose_backfill_has_rows_left() {
    let (good, bad) = (TestDb::new(), TestDb::new());
    let p = Project::init_with("rollout-fleet", "schema.toml", OLD, &[]);
    let config = p.dir.join("pgshift.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!(
            "{text}\n[fleet]\ntargets = [{:?}, {:?}]\nconcurrency = 1\nfailure_budget = 1\n",
            good.url(),
            bad.url()
        ),
    )
    .unwrap();
    p.ok(&["generate", "-m", "accounts"]);
    p.ok(&["upgrade", "--fleet", "--all"]);
    for (db, nulls) in [
        (&good, ""),
        (&bad, "UPDATE accounts SET email = NULL WHERE id % 10 = 0;"),
    ] {
        db.psql(&format!(
            "INSERT INTO accounts (full_name, email) SELECT 'n', 'U' || i FROM generate_series(1, 50) i; {nulls}"
        ))
        .unwrap();
    }
    std::fs::write(p.dir.join("schema.toml"), filled()).unwrap();
    p.ok(&["generate", "-m", "fill"]);
    let out = p.fails(&["upgrade", "--fleet", "--all"], 1);
    let bad_line = out
        .lines()
        .find(|l| l.contains(&bad.name))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(bad_line.starts_with("failed"), "{out}");
    assert!(
        out.contains("cannot apply contract migration")
            && out.contains(": 5 rows of public.accounts still match `email_lower IS NULL`"),
        "{out}"
    );
    let nullable = |db: &TestDb| -> String {
        db.client()
            .query_one(
                "SELECT is_nullable FROM information_schema.columns \
                 WHERE table_name = 'accounts' AND column_name = 'email_lower'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert_eq!(nullable(&good), "NO", "{out}");
    assert_eq!(
        nullable(&bad),
        "YES",
        "the contract ran over unfilled rows:\n{out}"
    );
}
