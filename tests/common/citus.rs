//! A Citus cluster for the tests of one binary: a coordinator and two workers, each a
//! private PostgreSQL cluster listening on 127.0.0.1 with `shared_preload_libraries =
//! 'citus'`. A database per test, created on all three nodes with the extension (Citus
//! does not create databases on workers), the workers added to its coordinator.
//!
//! Citus comes from `../shared/citus/build.sh` (CI's `.ci/run` calls it). Without it the
//! tests fail here, saying so: they are never skipped.

use pgshift::pg::{Cluster, ClusterOptions};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

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
        let mut c = n
            .coordinator
            .connect(&name)
            .expect("connect to the coordinator");
        let coord = n.coordinator.port();
        c.batch_execute(&format!(
            "SELECT citus_set_coordinator_host('127.0.0.1', {coord})"
        ))
        .expect("set the coordinator host");
        for w in &n.workers {
            c.batch_execute(&format!("SELECT citus_add_node('127.0.0.1', {})", w.port()))
                .expect("add a worker");
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
