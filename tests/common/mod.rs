//! Shared test support: one private PostgreSQL cluster per test binary, a database per
//! test, and `psql` to apply generated SQL exactly as a user would.

#![allow(dead_code)]

pub mod accounts;
pub mod citus;
pub mod load;
pub mod orders;
pub mod project;
pub mod standby;

use pgshift::pg::Cluster;
use pgshift::schema::Schema;
use pgshift::source::{introspect, IntrospectOptions};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

extern "C" fn stop_clusters() {
    pgshift::pg::stop_all();
}

/// A `postgresql://` URL for database `db` of cluster `c`, over its Unix socket.
pub fn database_url(c: &Cluster, db: &str) -> String {
    format!(
        "postgresql:///{db}?host={}&port={}&user={}",
        c.socket_dir().display(),
        c.port(),
        c.superuser()
    )
}

/// The binary's cluster, started on first use. A test that needs PostgreSQL fails here,
/// loudly, when no cluster can be started: it is never skipped.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| {
        // Statics are never dropped: stop the server and remove its directory at exit.
        // SAFETY: registering a plain extern "C" function with no arguments.
        unsafe { libc::atexit(stop_clusters) };
        Cluster::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL for the tests: {e}"))
    })
}

/// A database of its own for one test; dropped at the end of the test.
pub struct TestDb {
    pub name: String,
}

impl TestDb {
    pub fn new() -> TestDb {
        let c = cluster();
        let name = format!("t_{}", c.next_database_name());
        let mut admin = c.connect("postgres").expect("connect to postgres");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        TestDb { name }
    }

    /// A `postgresql://` URL for this database, over the cluster's Unix socket.
    pub fn url(&self) -> String {
        database_url(cluster(), &self.name)
    }

    pub fn client(&self) -> postgres::Client {
        cluster()
            .connect(&self.name)
            .expect("connect to test database")
    }

    /// Runs a SQL script with psql in autocommit mode, stopping at the first error.
    pub fn psql(&self, sql: &str) -> Result<(), String> {
        let c = cluster();
        let file = std::env::temp_dir().join(format!("{}-{}.sql", self.name, std::process::id()));
        std::fs::write(&file, sql).expect("write script");
        let out = Command::new(psql_binary())
            .arg("-X")
            .arg("-q")
            .args(["-v", "ON_ERROR_STOP=1"])
            .arg("-h")
            .arg(c.socket_dir())
            .args([
                "-p",
                &c.port().to_string(),
                "-U",
                c.superuser(),
                "-d",
                &self.name,
            ])
            .arg("-f")
            .arg(&file)
            .output()
            .expect("run psql");
        let _ = std::fs::remove_file(&file);
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).to_string())
        }
    }

    /// `pg_dump --schema-only` of the database, without comments, settings and blank
    /// lines: an independent view of the catalog, to catch what the IR might not model.
    pub fn dump(&self) -> String {
        let c = cluster();
        let out = Command::new(tool_binary("pg_dump"))
            .args(["--schema-only", "--no-owner", "--no-privileges"])
            .arg("-h")
            .arg(c.socket_dir())
            .args(["-p", &c.port().to_string(), "-U", c.superuser(), &self.name])
            .output()
            .expect("run pg_dump");
        assert!(
            out.status.success(),
            "pg_dump: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with("--") && !l.starts_with("SET ") && !l.starts_with("SELECT pg_catalog.set_config")
                    // pg_dump 15.14+ fences its output with a random key.
                    && !l.starts_with("\\restrict")
                    && !l.starts_with("\\unrestrict"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The privileges `pg_dump` writes (with `--no-owner`): every GRANT and REVOKE, each
    /// prefixed with the role it runs as when pg_dump switches to the grantor (`SET
    /// SESSION AUTHORIZATION`), sorted (the order of an ACL's items follows the order the
    /// grants were made in, which a migration need not reproduce).
    pub fn dump_privileges(&self) -> String {
        let c = cluster();
        let out = Command::new(tool_binary("pg_dump"))
            .args(["--schema-only", "--no-owner"])
            .arg("-h")
            .arg(c.socket_dir())
            .args(["-p", &c.port().to_string(), "-U", c.superuser(), &self.name])
            .output()
            .expect("run pg_dump");
        assert!(
            out.status.success(),
            "pg_dump: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut grantor = String::new();
        let mut lines = vec![];
        for l in String::from_utf8_lossy(&out.stdout).lines() {
            if let Some(role) = l.strip_prefix("SET SESSION AUTHORIZATION ") {
                grantor = format!("[as {}] ", role.trim_end_matches(';'));
            } else if l.starts_with("RESET SESSION AUTHORIZATION") {
                grantor.clear();
            } else if l.starts_with("GRANT ")
                || l.starts_with("REVOKE ")
                || l.starts_with("ALTER DEFAULT PRIVILEGES ")
            {
                lines.push(format!("{grantor}{l}"));
            }
        }
        lines.sort();
        lines.join("\n")
    }

    pub fn schema(&self) -> Schema {
        introspect(
            &mut self.client(),
            &IntrospectOptions::default(),
            &self.name,
        )
        .expect("introspect")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = cluster().connect("postgres") {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// psql from PATH, or beside the server binaries.
pub fn psql_binary() -> PathBuf {
    tool_binary("psql")
}

/// A PostgreSQL client program from PATH, or beside the server binaries.
pub fn tool_binary(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|d| d.join(name).is_file())
    {
        return dir.join(name);
    }
    pgshift::pg::find_binaries()
        .expect("PostgreSQL binaries")
        .join(name)
}

/// Fails with a line diff when two texts differ.
pub fn assert_same_text(actual: &str, expected: &str, what: &str) {
    if actual != expected {
        let diff = similar::TextDiff::from_lines(expected, actual);
        let mut shown = String::new();
        for change in diff.iter_all_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => "-",
                similar::ChangeTag::Insert => "+",
                similar::ChangeTag::Equal => continue,
            };
            shown.push_str(&format!("{sign}{change}"));
        }
        panic!("{what}: differ (- expected, + actual):\n{shown}");
    }
}

/// Pretty JSON of a schema as compared (columns by name, no dependency graph).
pub fn comparable_json(s: &Schema) -> String {
    serde_json::to_string_pretty(&s.comparable()).expect("schema serializes")
}

/// Fails with a line diff when two schemas differ as data.
/// Creates role `name` (NOLOGIN) on the test cluster unless it exists; roles belong to
/// the cluster, so tests running side by side may ask for the same one.
#[allow(dead_code)]
pub fn create_role(name: &str) {
    let db = TestDb::new();
    let sql = format!(
        "DO $$BEGIN CREATE ROLE {} NOLOGIN; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END$$",
        pgshift::sql::ident(name)
    );
    db.psql(&sql)
        .unwrap_or_else(|e| panic!("creating role {name}: {e}"));
}

/// Makes the roles a round-trip case lists in its `roles.txt` (one a line), if it has one:
/// roles are shared by the cluster's databases and pgshift never creates them.
pub fn create_case_roles(case_dir: &std::path::Path) {
    let listed = std::fs::read_to_string(case_dir.join("roles.txt")).unwrap_or_default();
    for role in listed.lines().map(str::trim).filter(|r| !r.is_empty()) {
        create_role(role);
    }
}

pub fn assert_same_schema(actual: &Schema, expected: &Schema, what: &str) {
    let (a, e) = (comparable_json(actual), comparable_json(expected));
    assert_same_text(&a, &e, &format!("{what}: schemas"));
}

/// A URL of the binary's cluster, for `Loader::new(Some(url), ...)`: models are then built
/// in throwaway databases of this cluster instead of a cluster of their own.
pub fn dev_url() -> String {
    let c = cluster();
    format!(
        "postgresql://{}@/postgres?host={}&port={}",
        c.superuser(),
        c.socket_dir().display(),
        c.port()
    )
}

/// A folder of its own for running the `pgshift` binary in, removed at the end; models
/// are built on the binary's cluster (`PGSHIFT_DEV_URL`), not a cluster of their own.
pub struct Folder {
    pub dir: PathBuf,
}

impl Folder {
    pub fn new(what: &str) -> Folder {
        let dir = project::temp_dir(what);
        Folder { dir }
    }

    pub fn write(&self, file: &str, text: &str) {
        std::fs::write(self.dir.join(file), text).unwrap();
    }

    /// `pgshift args` in this folder, building models on the tests' cluster.
    pub fn pgshift(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pgshift"))
            .args(args)
            .current_dir(&self.dir)
            .env_remove("DATABASE_URL")
            .env("PGSHIFT_DEV_URL", dev_url())
            .output()
            .expect("run pgshift")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        succeeded(args, self.pgshift(args))
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The stdout of `pgshift args`, which must have exited 0 (else its output is shown).
pub fn succeeded(args: &[&str], out: Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "pgshift {args:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Runs the pgshift binary in `dir` with none of the machine's connection settings (no
/// PG* variables, DATABASE_URL or PGSHIFT_DEV_URL; HOME is `dir`, so no ~/.pgpass), plus
/// `env`.
pub fn pgshift_isolated(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pgshift"));
    cmd.args(args).current_dir(dir);
    for var in [
        "PGSHIFT_DEV_URL",
        "DATABASE_URL",
        "PGPASSWORD",
        "PGPASSFILE",
        "PGHOST",
        "PGHOSTADDR",
        "PGUSER",
        "PGDATABASE",
        "PGPORT",
        "PGSSLMODE",
        "PGAPPNAME",
        "PGCONNECT_TIMEOUT",
        "PGOPTIONS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", dir).envs(env.iter().copied());
    cmd.output().expect("run pgshift")
}

/// stdout then stderr, for assertions and messages.
pub fn output_text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
