//! Shared test support: one private PostgreSQL cluster per test binary, a database per
//! test, and `psql` to apply generated SQL exactly as a user would.

#![allow(dead_code)]

use pgshift::pg::Cluster;
use pgshift::schema::Schema;
use pgshift::source::{introspect, IntrospectOptions};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

extern "C" fn stop_clusters() {
    pgshift::pg::stop_all();
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
    if let Some(dir) = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|d| d.join("psql").is_file())
    {
        return dir.join("psql");
    }
    pgshift::pg::find_binaries()
        .expect("PostgreSQL binaries")
        .join("psql")
}

/// Pretty JSON of a schema as compared (columns by name, no dependency graph).
pub fn comparable_json(s: &Schema) -> String {
    serde_json::to_string_pretty(&s.comparable()).expect("schema serializes")
}

/// Fails with a line diff when two schemas differ as data.
pub fn assert_same_schema(actual: &Schema, expected: &Schema, what: &str) {
    let (a, e) = (comparable_json(actual), comparable_json(expected));
    if a != e {
        let diff = similar::TextDiff::from_lines(&e, &a);
        let mut shown = String::new();
        for change in diff.iter_all_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => "-",
                similar::ChangeTag::Insert => "+",
                similar::ChangeTag::Equal => continue,
            };
            shown.push_str(&format!("{sign}{change}"));
        }
        panic!("{what}: schemas differ (- expected, + actual):\n{shown}");
    }
}
