//! The `pgshift` binary as a user runs it: output, exit codes, and error messages.

mod common;

use common::TestDb;
use std::process::{Command, Output};

fn pgshift(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("PGSHIFT_DEV_URL")
        .output()
        .expect("run pgshift")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => "../snapshots/cli",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn diff_of_the_shop_example_both_ways() {
    let up = pgshift(&[
        "diff",
        "--from",
        "examples/shop/v1.sql",
        "--to",
        "examples/shop/v2.sql",
    ]);
    assert_eq!(up.status.code(), Some(0), "{}", stderr(&up));
    snapshot!("shop_upgrade", stdout(&up));
    let down = pgshift(&[
        "diff",
        "--from",
        "examples/shop/v1.sql",
        "--to",
        "examples/shop/v2.sql",
        "--down",
    ]);
    assert_eq!(down.status.code(), Some(0), "{}", stderr(&down));
    snapshot!("shop_downgrade", stdout(&down));

    // The README's promise: the output runs as is with psql, and undoes itself.
    let db = TestDb::new();
    db.psql(&std::fs::read_to_string("examples/shop/v1.sql").unwrap())
        .unwrap();
    db.psql(&stdout(&up)).unwrap();
    let again = pgshift(&["diff", "--from", &db.url(), "--to", "examples/shop/v2.sql"]);
    assert_eq!(stdout(&again), "", "{}", stderr(&again));
    db.psql(&stdout(&down)).unwrap();
    let back = pgshift(&["diff", "--from", &db.url(), "--to", "examples/shop/v1.sql"]);
    assert_eq!(stdout(&back), "", "{}", stderr(&back));
}

#[test]
fn identical_schemas_print_nothing() {
    let out = pgshift(&[
        "diff",
        "--from",
        "examples/shop/v1.sql",
        "--to",
        "sql:examples/shop/v1.sql",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn live_databases_and_schema_filter() {
    let (a, b) = (TestDb::new(), TestDb::new());
    a.psql("CREATE SCHEMA app; CREATE SCHEMA other;").unwrap();
    b.psql(
        "CREATE SCHEMA app; CREATE SCHEMA other;
         CREATE TABLE app.t (id int PRIMARY KEY);
         CREATE TABLE other.u (id int);",
    )
    .unwrap();
    let all = pgshift(&["diff", "--from", &a.url(), "--to", &b.url()]);
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    assert!(stdout(&all).contains("CREATE TABLE app.t"));
    assert!(stdout(&all).contains("CREATE TABLE other.u"));
    let only_app = pgshift(&[
        "diff",
        "--from",
        &a.url(),
        "--to",
        &b.url(),
        "--schema",
        "app",
    ]);
    assert!(stdout(&only_app).contains("CREATE TABLE app.t"));
    assert!(
        !stdout(&only_app).contains("other.u"),
        "{}",
        stdout(&only_app)
    );
}

#[test]
fn json_format_lists_steps() {
    let out = pgshift(&[
        "diff",
        "--from",
        "examples/shop/v1.sql",
        "--to",
        "examples/shop/v2.sql",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let steps = plan["steps"].as_array().expect("steps");
    assert!(!steps.is_empty());
    assert!(steps
        .iter()
        .all(|s| s["statements"].is_array() && s["description"].is_string()));
}

#[test]
fn unsupported_objects_warn_and_strict_fails() {
    let (a, b) = (TestDb::new(), TestDb::new());
    b.psql("CREATE AGGREGATE public.total(int) (sfunc = int4pl, stype = int);")
        .unwrap();
    let out = pgshift(&["diff", "--from", &a.url(), "--to", &b.url()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("warning:")
            && stderr(&out).contains("aggregate public.total(integer)"),
        "{}",
        stderr(&out)
    );
    let strict = pgshift(&["diff", "--from", &a.url(), "--to", &b.url(), "--strict"]);
    assert_eq!(strict.status.code(), Some(2));
    assert!(
        stderr(&strict).contains("aggregate public.total(integer)"),
        "{}",
        stderr(&strict)
    );
}

#[test]
fn unreachable_server_is_a_clear_error_without_the_password() {
    let out = pgshift(&[
        "diff",
        "--from",
        "postgres://alice:s3cret-pw@127.0.0.1:1/app",
        "--to",
        "examples/shop/v1.sql",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains("s3cret-pw"), "{err}");
    snapshot!("error_unreachable", err);
}

#[test]
fn bad_credentials_are_a_clear_error_without_the_password() {
    let db = TestDb::new();
    let url = db
        .url()
        .replace("user=postgres", "user=nobody&password=s3cret-pw");
    let out = pgshift(&["diff", "--from", &url, "--to", "examples/shop/v1.sql"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains("s3cret-pw"), "{err}");
    assert!(err.contains("role \"nobody\" does not exist"), "{err}");
    assert!(
        err.contains("hint: check the user name and password"),
        "{err}"
    );
}

#[test]
fn bad_sql_file_points_at_line_and_column() {
    let dir = std::env::temp_dir().join(format!("pgshift-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.sql");
    std::fs::write(
        &file,
        "CREATE TABLE ok (a int);\nCREATE TABLE broken (a no_such_type);\n",
    )
    .unwrap();
    let out = pgshift(&[
        "diff",
        "--from",
        file.to_str().unwrap(),
        "--to",
        "examples/shop/v1.sql",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out).replace(dir.to_str().unwrap(), "$DIR");
    snapshot!("error_bad_sql_file", err);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unknown_sources_and_bad_urls_are_errors() {
    let out = pgshift(&[
        "diff",
        "--from",
        "schema.txt",
        "--to",
        "examples/shop/v1.sql",
    ]);
    assert_eq!(out.status.code(), Some(2));
    snapshot!("error_unknown_source", stderr(&out));
    let out = pgshift(&[
        "diff",
        "--from",
        "postgres://u:pw@host:notaport/db",
        "--to",
        "x.sql",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains(":pw@"), "{}", stderr(&out));
    snapshot!("error_bad_url", stderr(&out));
    let out = pgshift(&[
        "diff",
        "--from",
        "missing.sql",
        "--to",
        "examples/shop/v1.sql",
    ]);
    assert_eq!(out.status.code(), Some(2));
    snapshot!("error_missing_file", stderr(&out));
}

#[test]
fn help_is_stable() {
    snapshot!("help", stdout(&pgshift(&["--help"])));
    snapshot!("help_diff", stdout(&pgshift(&["diff", "--help"])));
}

#[test]
fn ctrl_c_during_initdb_removes_the_throwaway_cluster() {
    interrupt_when(|_| true);
}

#[test]
fn ctrl_c_while_the_server_runs_stops_and_removes_it() {
    interrupt_when(|dir| dir.join(".s.PGSQL.5432").exists());
}

/// Runs a diff that starts a throwaway cluster, sends SIGINT once `ready` holds for the
/// cluster's directory, and checks the directory is gone when pgshift has exited.
fn interrupt_when(ready: fn(&std::path::Path) -> bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args([
            "diff",
            "--from",
            "examples/shop/v1.sql",
            "--to",
            "examples/shop/v2.sql",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start pgshift");
    let prefix = format!("pgshift-{}-", child.id());
    let cluster_dirs = || -> Vec<std::path::PathBuf> {
        let base = if unsafe { libc::geteuid() } == 0 {
            std::path::PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        std::fs::read_dir(base)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .map(|e| e.path())
            .collect()
    };
    // Wait until the cluster's directory exists, then interrupt as a terminal would.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !cluster_dirs().iter().any(|d| ready(d)) {
        assert!(
            std::time::Instant::now() < deadline,
            "the cluster never got ready"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "pgshift ended before the signal"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "unexpected exit: {status:?}");
    assert!(
        cluster_dirs().is_empty(),
        "left behind: {:?}",
        cluster_dirs()
    );
}
