//! Faults while migrations run: kill -9 and Ctrl-C (SIGINT) of `upgrade` and `downgrade`
//! in a transactional and in a `-- no-transaction` migration, and a server restart. Each
//! statement is made to wait on a lock this test holds, so the fault lands mid-statement.
//! After each: no statement of the migration runs on the server 3 s later, `status`
//! tells the truth, running the command again finishes, and `verify --schema` is clean.

mod common;

use common::project::{applied, running_statements, wait_until_blocked, Project};
use common::TestDb;
use std::process::Child;
use std::time::{Duration, Instant};

const USERS: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);";
const USERS_INDEXED: &str = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE INDEX users_email_idx ON users (lower(email));";

#[derive(Clone, Copy, PartialEq)]
enum Fault {
    Kill,
    Interrupt,
}

/// Delivers the fault; the exit status and stderr of the command.
fn strike(mut child: Child, fault: Fault) -> (Option<i32>, String) {
    match fault {
        Fault::Kill => child.kill().unwrap(),
        // SAFETY: kill with a PID of our own child.
        Fault::Interrupt => unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGINT);
        },
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// No statement of a runner left on the server 3 s after the fault.
fn nothing_runs_after(db: &TestDb, struck: Instant) {
    std::thread::sleep(Duration::from_secs(3).saturating_sub(struck.elapsed()));
    let left = running_statements(db);
    assert!(left.is_empty(), "still running 3 s later: {left:?}");
}

/// A project whose first migration (users, 20,000 rows) is applied and whose second,
/// generated, builds an index concurrently.
fn with_pending_index(db: &TestDb) -> Project {
    let p = Project::new(USERS);
    p.write(
        1,
        "users",
        &format!("{USERS}\n"),
        Some("DROP TABLE users;\n"),
    );
    p.ok(&["upgrade", "--all", "--database", &db.url()]);
    db.psql(
        "INSERT INTO users SELECT i, 'u' || i || '@example.com' FROM generate_series(1, 20000) i;",
    )
    .unwrap();
    p.model(USERS_INDEXED);
    p.ok(&["generate", "-m", "email index"]);
    p
}

/// A project with users applied and a hand-written transactional migration pending that
/// creates a table, then alters users (which waits for this test's lock).
fn with_pending_alter(db: &TestDb) -> Project {
    let p = Project::new(USERS);
    p.write(
        1,
        "users",
        &format!("{USERS}\n"),
        Some("DROP TABLE users;\n"),
    );
    p.write(
        2,
        "notes",
        "CREATE TABLE audit (id int);\nALTER TABLE users ADD COLUMN note text;\n",
        Some("ALTER TABLE users DROP COLUMN note;\nDROP TABLE audit;\n"),
    );
    p.ok(&["upgrade", "--all", "--database", &db.url(), "1"]);
    p
}

fn index_fault(fault: Fault) {
    let db = TestDb::new();
    let url = db.url();
    let p = with_pending_index(&db);
    // A writer's open transaction: the concurrent build waits for it.
    let mut writer = db.client();
    writer
        .batch_execute("BEGIN; INSERT INTO users VALUES (0, 'w@example.com');")
        .unwrap();
    let child = p.spawn(&["upgrade", "--all", "--database", &url]);
    wait_until_blocked(&db, "CREATE INDEX CONCURRENTLY");
    let struck = Instant::now();
    let (code, err) = strike(child, fault);
    if fault == Fault::Interrupt {
        assert_eq!(code, Some(130), "{err}");
        assert!(
            err.contains("not recorded as applied") && err.contains("0 of 1 statements finished"),
            "{err}"
        );
        assert!(
            running_statements(&db).is_empty(),
            "the statement stopped before exit"
        );
    }
    nothing_runs_after(&db, struck);
    assert_eq!(applied(&db), [1]);
    let status = p.fails(&["status", "--database", &url], 1);
    assert!(
        status.contains("pending") && status.contains("email_index"),
        "{status}"
    );
    writer.batch_execute("COMMIT").unwrap();
    let again = p.ok(&["upgrade", "--all", "--database", &url]);
    assert!(
        again.contains("left INVALID by an interrupted build"),
        "{again}"
    );
    assert_eq!(applied(&db).len(), 2);
    assert!(p
        .ok(&["verify", "--schema", "--database", &url])
        .contains("OK: 2 applied"));
}

#[test]
fn kill_9_of_upgrade_in_a_concurrent_index_build() {
    index_fault(Fault::Kill);
}

#[test]
fn ctrl_c_of_upgrade_in_a_concurrent_index_build() {
    index_fault(Fault::Interrupt);
}

fn alter_fault(fault: Fault) {
    let db = TestDb::new();
    let url = db.url();
    let p = with_pending_alter(&db);
    let mut reader = db.client();
    reader
        .batch_execute("BEGIN; SELECT count(*) FROM users;")
        .unwrap();
    let child = p.spawn(&["upgrade", "--all", "--database", &url]);
    wait_until_blocked(&db, "ALTER TABLE users");
    let struck = Instant::now();
    let (code, err) = strike(child, fault);
    if fault == Fault::Interrupt {
        assert_eq!(code, Some(130), "{err}");
        assert!(
            err.contains("2 notes, not recorded as applied; it ran in a transaction, rolled back"),
            "{err}"
        );
    }
    nothing_runs_after(&db, struck);
    assert_eq!(applied(&db), [1]);
    assert!(
        !db.schema().tables.keys().any(|t| t.name == "audit"),
        "rolled back"
    );
    assert!(p
        .fails(&["status", "--database", &url], 1)
        .contains("pending  2 notes"));
    reader.batch_execute("COMMIT").unwrap();
    p.ok(&["upgrade", "--all", "--database", &url]);
    assert_eq!(applied(&db), [1, 2]);
    assert!(p
        .ok(&["verify", "--schema", "--database", &url])
        .contains("OK: 2 applied"));
}

#[test]
fn kill_9_of_upgrade_in_a_transactional_migration() {
    alter_fault(Fault::Kill);
}

#[test]
fn ctrl_c_of_upgrade_in_a_transactional_migration() {
    alter_fault(Fault::Interrupt);
}

fn downgrade_fault(fault: Fault, concurrent: bool) {
    let db = TestDb::new();
    let url = db.url();
    let (p, waits_in) = if concurrent {
        (with_pending_index(&db), "DROP INDEX CONCURRENTLY")
    } else {
        (with_pending_alter(&db), "ALTER TABLE users DROP COLUMN")
    };
    p.ok(&["upgrade", "--all", "--database", &url]);
    let mut reader = db.client();
    reader
        .batch_execute("BEGIN; SELECT count(*) FROM users;")
        .unwrap();
    let child = p.spawn(&["downgrade", "-1", "--database", &url]);
    wait_until_blocked(&db, waits_in);
    let struck = Instant::now();
    let (code, err) = strike(child, fault);
    if fault == Fault::Interrupt {
        assert_eq!(code, Some(130), "{err}");
        assert!(err.contains("still recorded as applied"), "{err}");
    }
    nothing_runs_after(&db, struck);
    assert_eq!(applied(&db).len(), 2, "still applied");
    p.ok(&["status", "--database", &url]);
    reader.batch_execute("COMMIT").unwrap();
    p.ok(&["downgrade", "-1", "--database", &url]);
    assert_eq!(applied(&db), [1]);
    assert!(p
        .ok(&["verify", "--schema", "--database", &url])
        .contains("OK: 1 applied"));
}

#[test]
fn kill_9_of_downgrade_in_a_concurrent_index_drop() {
    downgrade_fault(Fault::Kill, true);
}

#[test]
fn ctrl_c_of_downgrade_in_a_transactional_migration() {
    downgrade_fault(Fault::Interrupt, false);
}

/// `pg_ctl restart -m fast` while a concurrent build waits: the runner fails, the index
/// is left INVALID, and upgrade after the restart rebuilds it. The test's own cluster,
/// so that the restart hits no other test.
#[test]
fn server_restart_during_a_concurrent_index_build() {
    let cluster = pgshift::pg::Cluster::start().expect("a cluster of this test's own");
    let url = common::database_url(&cluster, "postgres");
    let p = Project::new(USERS);
    p.write(
        1,
        "users",
        &format!("{USERS}\n"),
        Some("DROP TABLE users;\n"),
    );
    p.ok(&["upgrade", "--all", "--database", &url]);
    p.model(USERS_INDEXED);
    p.ok(&["generate", "-m", "email index"]);
    let mut writer = cluster.connect("postgres").unwrap();
    writer
        .batch_execute("BEGIN; INSERT INTO users VALUES (0, 'w@example.com');")
        .unwrap();
    let child = p.spawn(&["upgrade", "--all", "--database", &url]);
    let mut watch = cluster.connect("postgres").unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while watch
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
             AND query LIKE 'CREATE INDEX CONCURRENTLY%'",
            &[],
        )
        .unwrap()
        .get::<_, i64>(0)
        == 0
    {
        assert!(Instant::now() < deadline, "the build never waited");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(watch);
    let pg_ctl = |args: &[&str]| {
        let mut cmd =
            std::process::Command::new(pgshift::pg::find_binaries().unwrap().join("pg_ctl"));
        cmd.args(args)
            .arg("-D")
            .arg(cluster.socket_dir().join("data"));
        as_server_user(&mut cmd);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "pg_ctl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let log = cluster
        .socket_dir()
        .join("restart.log")
        .display()
        .to_string();
    pg_ctl(&["restart", "-m", "fast", "-w", "-l", &log]);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    let status = p.fails(&["status", "--database", &url], 1);
    assert!(
        status.contains("pending") && status.contains("email_index"),
        "{status}"
    );
    let again = p.ok(&["upgrade", "--all", "--database", &url]);
    assert!(
        again.contains("left INVALID by an interrupted build"),
        "{again}"
    );
    assert!(p
        .ok(&["verify", "--schema", "--database", &url])
        .contains("OK: 2 applied"));
    pg_ctl(&["stop", "-m", "fast", "-w"]);
}

/// pg_ctl refuses root: run it as the `postgres` OS user then, as the cluster's server.
fn as_server_user(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: geteuid has no preconditions; getpwnam's result is copied out at once.
    unsafe {
        if libc::geteuid() != 0 {
            return;
        }
        let name = std::ffi::CString::new("postgres").unwrap();
        let pw = libc::getpwnam(name.as_ptr());
        assert!(!pw.is_null(), "no postgres OS user");
        cmd.uid((*pw).pw_uid).gid((*pw).pw_gid);
    }
}

#[test]
fn ctrl_c_of_downgrade_in_a_concurrent_index_drop() {
    downgrade_fault(Fault::Interrupt, true);
}

#[test]
fn kill_9_of_downgrade_in_a_transactional_migration() {
    downgrade_fault(Fault::Kill, false);
}
