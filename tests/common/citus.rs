//! A Citus cluster for the tests of one binary: a coordinator and two workers, each a
//! private PostgreSQL cluster listening on 127.0.0.1 with `shared_preload_libraries =
//! 'citus'`. A database per test, created on all three nodes with the extension (Citus
//! does not create databases on workers), the workers added to its coordinator.
//!
//! Citus comes from `../shared/citus/build.sh` (CI's `.ci/run` calls it). Without it the
//! tests fail here, saying so: they are never skipped.

use pgshift::pg::{Cluster, ClusterOptions};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

pub struct Nodes {
    pub coordinator: Cluster,
    pub workers: Vec<Cluster>,
}

static NODES: OnceLock<Nodes> = OnceLock::new();
static NEXT: AtomicU32 = AtomicU32::new(0);

extern "C" fn stop_clusters() {
    pgshift::pg::stop_all();
}

/// A port on 127.0.0.1 that nothing listens on now.
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port on 127.0.0.1");
    l.local_addr().expect("local address").port()
}

fn node() -> Cluster {
    assert!(
        pgshift::pg::citus_installed(),
        "Citus is not installed (no citus.so beside the PostgreSQL server): run \
         ../shared/citus/build.sh from the repository root (as root), then run the tests again"
    );
    let options = ClusterOptions {
        tcp_port: Some(free_port()),
        settings: vec!["max_connections=200".into()],
        citus: true,
    };
    Cluster::start_with(&options)
        .unwrap_or_else(|e| panic!("cannot start a Citus node for the tests: {e}"))
}

pub fn nodes() -> &'static Nodes {
    NODES.get_or_init(|| {
        // SAFETY: registering a plain extern "C" function with no arguments.
        unsafe { libc::atexit(stop_clusters) };
        Nodes {
            coordinator: node(),
            workers: vec![node(), node()],
        }
    })
}

/// A database of its own on every node of the Citus cluster, workers added.
pub struct CitusDb {
    pub name: String,
}

impl CitusDb {
    pub fn new() -> CitusDb {
        let n = nodes();
        let name = format!("citus_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        for node in std::iter::once(&n.coordinator).chain(&n.workers) {
            let mut admin = node.connect("postgres").expect("connect to a Citus node");
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create the test database on a node");
            let mut db = node.connect(&name).expect("connect to the new database");
            db.batch_execute("CREATE EXTENSION citus")
                .expect("CREATE EXTENSION citus (is shared_preload_libraries = 'citus' loaded?)");
        }
        // Citus reports why it could not use a node as a WARNING before its error: keep
        // the notices so that a failure here says what happened.
        let notices = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&notices);
        let mut config = n.coordinator.config(&name);
        config.notice_callback(move |notice| {
            let mut line = format!("{}: {}", notice.severity(), notice.message());
            if let Some(detail) = notice.detail() {
                line.push_str(&format!(" ({detail})"));
            }
            sink.lock().unwrap_or_else(|e| e.into_inner()).push(line);
        });
        let mut c = config
            .connect(postgres::NoTls)
            .expect("connect to the coordinator");
        let coord = n.coordinator.port();
        let statements = std::iter::once(format!(
            "SELECT citus_set_coordinator_host('127.0.0.1', {coord})"
        ))
        .chain(
            n.workers
                .iter()
                .map(|w| format!("SELECT citus_add_node('127.0.0.1', {})", w.port())),
        );
        for sql in statements {
            // Once (CI, 2026-12-03) adding a worker failed with "failure on connection
            // marked as essential" while seven tests set up at once, and never since in
            // dozens of runs. A failed call changes nothing (its transaction rolls back),
            // so a set-up step is tried again; the test fails after three attempts, with
            // every attempt's error and Citus's warnings.
            let mut errors = Vec::new();
            while let Err(e) = c.batch_execute(&sql) {
                errors.push(e.to_string());
                if errors.len() == 3 {
                    let notices = notices.lock().unwrap_or_else(|e| e.into_inner());
                    panic!(
                        "{sql}: {}\nwarnings from the coordinator:\n{}",
                        errors.join("\n"),
                        notices.join("\n")
                    );
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            if !errors.is_empty() {
                let notices = notices.lock().unwrap_or_else(|e| e.into_inner());
                eprintln!(
                    "{sql} succeeded after: {}; warnings: {}",
                    errors.join("; "),
                    notices.join("; ")
                );
            }
        }
        CitusDb { name }
    }

    /// A URL of this database on the coordinator, over TCP.
    pub fn url(&self) -> String {
        let n = nodes();
        format!(
            "postgresql://{}@127.0.0.1:{}/{}",
            n.coordinator.superuser(),
            n.coordinator.port(),
            self.name
        )
    }

    pub fn client(&self) -> postgres::Client {
        nodes()
            .coordinator
            .connect(&self.name)
            .expect("connect to the coordinator")
    }

    /// Runs SQL on the coordinator, panicking with the server's message on an error.
    pub fn execute(&self, sql: &str) {
        self.client()
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
    }
}

impl Drop for CitusDb {
    fn drop(&mut self) {
        let n = nodes();
        for node in std::iter::once(&n.coordinator).chain(&n.workers) {
            if let Ok(mut admin) = node.connect("postgres") {
                let _ = admin.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ));
            }
        }
    }
}
