//! A pgshift project in a temporary folder, driven through the binary as a user would:
//! hand-written or generated migration files, run against a test database. Models and
//! replays are built in the tests' own cluster (`--dev-url` through the environment).

#![allow(dead_code)]

use crate::common::{dev_url, TestDb};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

pub struct Project {
    pub dir: PathBuf,
}

impl Project {
    /// `pgshift init` in a new folder, with `schema.sql` as the model.
    pub fn new(schema: &str) -> Project {
        let dir = temp_dir("runner");
        let p = Project { dir };
        p.model(schema);
        p.ok(&["init"]);
        p
    }

    /// `pgshift init --model FILE` (and `init_args`) in a new folder named for `label`,
    /// with `model` written to FILE (`schema.toml`, `schema.sql`, ...).
    pub fn init_with(label: &str, file: &str, model: &str, init_args: &[&str]) -> Project {
        let p = Project {
            dir: temp_dir(label),
        };
        std::fs::write(p.dir.join(file), model).unwrap();
        let mut args = vec!["init", "--model", file];
        args.extend_from_slice(init_args);
        p.ok(&args);
        p
    }

    pub fn model(&self, schema: &str) {
        std::fs::write(self.dir.join("schema.sql"), schema).unwrap();
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_pgshift"));
        c.args(args)
            .current_dir(&self.dir)
            .env_remove("DATABASE_URL")
            .env("PGSHIFT_DEV_URL", dev_url());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run pgshift")
    }

    /// Starts a command without waiting for it.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start pgshift")
    }

    /// Runs a command that must exit 0; its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        crate::common::succeeded(args, self.run(args))
    }

    /// Runs a command that must exit with `code`; its stdout and stderr together.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(code), "pgshift {args:?}:\n{said}");
        said
    }

    /// Writes a migration by hand: `<version>_<name>.up.sql` (and `.down.sql`).
    pub fn write(&self, version: i64, name: &str, up: &str, down: Option<&str>) {
        let dir = self.dir.join("migrations");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{version}_{name}.up.sql")), up).unwrap();
        if let Some(down) = down {
            std::fs::write(dir.join(format!("{version}_{name}.down.sql")), down).unwrap();
        }
    }

    /// The migration files, sorted.
    pub fn files(&self) -> Vec<String> {
        listing(&self.dir.join("migrations"))
    }

    pub fn set_config(&self, key: &str, value: &str) {
        let path = self.dir.join("pgshift.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text: String = text
            .lines()
            .map(|l| {
                if l.starts_with(&format!("{key} =")) {
                    format!("{key} = {value}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(path, text).unwrap();
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The versions the version table records.
pub fn applied(db: &TestDb) -> Vec<i64> {
    db.client()
        .query(
            "SELECT version FROM public.pgshift_migrations ORDER BY version",
            &[],
        )
        .map(|rows| rows.iter().map(|r| r.get(0)).collect())
        .unwrap_or_default()
}

/// Statements still running on `db` for a pgshift runner (not this test's sessions).
pub fn running_statements(db: &TestDb) -> Vec<String> {
    db.client()
        .query(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() \
             AND application_name = 'pgshift' AND state = 'active' AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// Waits (up to 30 s) until a pgshift session on `db` waits on a lock running a statement
/// that contains `fragment`.
pub fn wait_until_blocked(db: &TestDb, fragment: &str) {
    let mut client = db.client();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let n: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND application_name = 'pgshift' AND state = 'active' \
                 AND wait_event_type = 'Lock' AND position($1 in query) > 0",
                &[&fragment],
            )
            .unwrap()
            .get(0);
        if n > 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no pgshift statement with {fragment:?} came to wait on a lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A fresh directory under the temp dir, unique to this process and moment.
pub fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "pgshift-{label}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names in `dir`, sorted.
pub fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

/// Runs the binary in `dir`, with no database URL from the environment and models built
/// on `dev_url` when given.
pub fn pgshift(dir: &std::path::Path, dev_url: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgshift"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("PGSHIFT_DEV_URL");
    if let Some(url) = dev_url {
        cmd.env("PGSHIFT_DEV_URL", url);
    }
    cmd.output().expect("run pgshift")
}

/// `pgshift` that must exit 0; its stdout.
pub fn ok(dir: &std::path::Path, dev_url: Option<&str>, args: &[&str]) -> String {
    crate::common::succeeded(args, pgshift(dir, dev_url, args))
}

/// The binary run in a folder as a user runs it, with models and replays built in the
/// tests' own cluster (PGSHIFT_DEV_URL) and no DATABASE_URL from the environment: the
/// helpers of the adopt and sea-orm tests.
pub mod dev {
    use crate::common::{dev_url, output_text};
    use std::path::Path;
    use std::process::Output;

    pub fn pgshift(dir: &Path, args: &[&str]) -> Output {
        super::pgshift(dir, Some(&dev_url()), args)
    }

    /// `pgshift` that must exit 0: what it said (stdout, then stderr).
    pub fn ok(dir: &Path, args: &[&str]) -> String {
        fails_with(dir, args, 0)
    }

    /// `pgshift` that must exit 0: its stdout alone (`diff` prints nothing else there).
    pub fn stdout(dir: &Path, args: &[&str]) -> String {
        super::ok(dir, Some(&dev_url()), args)
    }

    /// `pgshift` that must refuse (exit 2): what it said.
    pub fn fails(dir: &Path, args: &[&str]) -> String {
        fails_with(dir, args, 2)
    }

    /// `pgshift` that must exit with `code`: what it said.
    pub fn fails_with(dir: &Path, args: &[&str], code: i32) -> String {
        let out = pgshift(dir, args);
        let said = output_text(&out);
        assert_eq!(out.status.code(), Some(code), "pgshift {args:?}:\n{said}");
        said
    }
}
