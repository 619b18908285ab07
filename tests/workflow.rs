//! The migration workflow end to end, as a user runs it in a project folder, on real
//! PostgreSQL: init, generate, upgrade, check, downgrade, status, concurrent runners and
//! failing migrations.

mod common;

use common::TestDb;
use std::path::PathBuf;
use std::process::{Command, Output};

struct Project {
    dir: PathBuf,
}

impl Project {
    fn new(schema: &str) -> Project {
        let dir = std::env::temp_dir().join(format!(
            "pgshift-project-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let p = Project { dir };
        p.model(schema);
        p
    }

    fn model(&self, schema: &str) {
        std::fs::write(self.dir.join("schema.sql"), schema).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .args(args)
            .current_dir(&self.dir)
            .env_remove("DATABASE_URL")
            .env_remove("PGSHIFT_DEV_URL")
            .output()
            .expect("run pgshift")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "pgshift {args:?}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn migrations(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.join("migrations"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const V1: &str =
    "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);";
const V2: &str = "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, nickname text);
CREATE INDEX users_email_idx ON users (lower(email));";

fn applied(db: &TestDb) -> Vec<i64> {
    db.client()
        .query(
            "SELECT version FROM public.pgshift_migrations ORDER BY version",
            &[],
        )
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .unwrap_or_default()
}

#[test]
fn init_generate_upgrade_check_downgrade() {
    let p = Project::new(V1);
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["init"]);
    assert!(p.dir.join("pgshift.toml").exists());

    // A model with no migration yet: check fails (1), generate writes the first one.
    assert_eq!(p.run(&["check"]).status.code(), Some(1));
    p.ok(&["generate", "-m", "create users"]);
    assert_eq!(p.migrations().len(), 2, "{:?}", p.migrations());
    assert!(p.ok(&["check"]).contains("OK"));
    assert!(p.ok(&["generate", "-m", "nothing"]).contains("No changes"));
    assert_eq!(p.migrations().len(), 2);

    p.ok(&["upgrade", "--database", &url]);
    assert_eq!(applied(&db).len(), 1);

    // The model changes: check fails until a migration holds the change.
    p.model(V2);
    let check = p.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("nickname"));
    p.ok(&["generate", "-m", "nicknames"]);
    assert!(p.ok(&["check"]).contains("OK"));
    // Status lists what is pending and exits 1 while something is.
    assert_eq!(
        p.run(&["status", "--database", &url]).status.code(),
        Some(1)
    );
    p.ok(&["upgrade", "--database", &url]);
    assert_eq!(
        p.run(&["status", "--database", &url]).status.code(),
        Some(0)
    );
    let all = applied(&db);
    assert!(all.len() >= 2, "{all:?}");

    // The database now matches the model; downgrade -1 and upgrade again.
    let live_vs_model = Command::new(env!("CARGO_BIN_EXE_pgshift"))
        .args(["diff", "--from", &url, "--to", "schema.sql"])
        .current_dir(&p.dir)
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&live_vs_model.stdout).to_string();
    assert!(
        !diff.contains("nickname") && !diff.contains("users_email_idx"),
        "{diff}"
    );
    p.ok(&["downgrade", "-1", "--database", &url]);
    assert_eq!(applied(&db).len(), all.len() - 1);
    p.ok(&["upgrade", "--database", &url]);
    assert_eq!(applied(&db), all);
    assert!(p
        .ok(&["current", "--database", &url])
        .contains(&all.last().unwrap().to_string()));
    assert_eq!(
        p.ok(&["history", "--database", &url]).lines().count(),
        all.len()
    );
    p.ok(&["downgrade", "base", "--database", &url]);
    assert!(applied(&db).is_empty());
    assert!(!db.schema().tables.keys().any(|t| t.name == "users"));
}

#[test]
fn two_runners_at_once_apply_each_migration_once() {
    let p = Project::new(V2);
    let db = TestDb::new();
    p.ok(&["init"]);
    p.ok(&["generate", "-m", "users"]);
    let url = db.url();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .args(["upgrade", "--database", &url])
            .current_dir(&p.dir)
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    assert_eq!(
        b.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&b.stderr)
    );
    let versions = applied(&db);
    let mut unique = versions.clone();
    unique.dedup();
    assert_eq!(versions, unique);
    assert_eq!(versions.len(), p.migrations().len() / 2);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&b.stdout)
    );
    assert_eq!(said.matches("applied ").count(), versions.len(), "{said}");
}

#[test]
fn a_failing_migration_leaves_no_trace_in_the_version_table() {
    let p = Project::new(V1);
    let db = TestDb::new();
    p.ok(&["init"]);
    p.ok(&["generate", "-m", "users"]);
    let broken = p
        .dir
        .join("migrations")
        .join("29990101000000_broken.up.sql");
    std::fs::write(
        &broken,
        "CREATE TABLE half_done (id int);\nALTER TABLE no_such_table ADD COLUMN x int;\n",
    )
    .unwrap();
    let out = p.run(&["upgrade", "--database", &db.url()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("29990101000000") && err.contains("no_such_table"),
        "{err}"
    );
    assert!(
        err.contains("in statement: ALTER TABLE no_such_table"),
        "{err}"
    );
    // The first migration is applied, the broken one is not, and its first statement
    // was rolled back with it.
    assert_eq!(applied(&db).len(), 1);
    assert!(!db.schema().tables.keys().any(|t| t.name == "half_done"));
}

#[test]
fn help_of_every_command_is_stable() {
    let p = Project::new(V1);
    for cmd in [
        "init",
        "generate",
        "merge",
        "upgrade",
        "downgrade",
        "current",
        "history",
        "status",
        "check",
        "verify",
        "inspect",
        "diff",
    ] {
        let help = p.ok(&[cmd, "--help"]);
        insta::with_settings!({
            snapshot_path => "../snapshots/cli",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("help_{cmd}"), help);
        });
    }
}

#[test]
fn verify_catches_edited_files_and_schema_drift() {
    let p = Project::new(V2);
    let db = TestDb::new();
    let url = db.url();
    p.ok(&["init"]);
    p.ok(&["generate", "-m", "users"]);
    p.ok(&["upgrade", "--database", &url]);
    assert!(p
        .ok(&["verify", "--database", &url, "--schema"])
        .contains("OK"));

    // Someone changes the live schema by hand: --schema shows the drift as SQL.
    db.psql("CREATE TABLE stray (id int)").unwrap();
    let out = p.run(&["verify", "--database", &url, "--schema"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("DROP TABLE public.stray"));
    db.psql("DROP TABLE stray").unwrap();

    // An applied migration's file is edited: verify fails and names it.
    let up = std::fs::read_dir(p.dir.join("migrations"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|f| f.to_string_lossy().ends_with(".up.sql"))
        .unwrap();
    let mut text = std::fs::read_to_string(&up).unwrap();
    text.push_str("-- an afterthought\n");
    std::fs::write(&up, text).unwrap();
    let out = p.run(&["verify", "--database", &url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("was edited after it was applied"));

    // And a deleted one.
    std::fs::remove_file(&up).unwrap();
    let out = p.run(&["verify", "--database", &url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("its file is gone"));
}
