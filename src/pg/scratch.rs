//! Where pgshift builds throwaway databases: its own private cluster (the default), or an
//! existing server given with `--dev-url`.

use super::Cluster;
use crate::error::{Error, Result};
use crate::source::{connect, describe_pg_error, ConnInfo};

pub enum ScratchServer {
    Cluster(Cluster),
    Server(ConnInfo),
}

impl ScratchServer {
    /// `dev_url` when given, else a new private cluster.
    pub fn new(dev_url: Option<&str>) -> Result<ScratchServer> {
        match dev_url {
            Some(url) => Ok(ScratchServer::Server(ConnInfo::parse(url)?)),
            None => Ok(ScratchServer::Cluster(Cluster::start()?)),
        }
    }

    /// A new empty database, dropped when the guard goes.
    pub fn create_database(&self) -> Result<ScratchDatabase<'_>> {
        let name = match self {
            ScratchServer::Cluster(c) => c.next_database_name(),
            ScratchServer::Server(_) => format!(
                "pgshift_tmp_{}_{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0)
            ),
        };
        let mut admin = self.connect_to("postgres")?;
        admin
            .batch_execute(&format!("CREATE DATABASE {}", crate::sql::ident(&name)))
            .map_err(|e| Error::Database {
                what: "creating a scratch database".into(),
                target: self.describe(),
                reason: describe_pg_error(&e),
            })?;
        Ok(ScratchDatabase { server: self, name })
    }

    fn connect_to(&self, dbname: &str) -> Result<postgres::Client> {
        match self {
            ScratchServer::Cluster(c) => c.connect(dbname),
            ScratchServer::Server(info) => connect(&info.with_dbname(dbname)),
        }
    }

    fn describe(&self) -> String {
        match self {
            ScratchServer::Cluster(c) => {
                format!("the throwaway cluster in {}", c.socket_dir().display())
            }
            ScratchServer::Server(info) => info.display(),
        }
    }
}

pub struct ScratchDatabase<'a> {
    server: &'a ScratchServer,
    name: String,
}

impl ScratchDatabase<'_> {
    pub fn connect(&self) -> Result<postgres::Client> {
        self.server.connect_to(&self.name)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// How to name this database in messages.
    pub fn describe(&self) -> String {
        format!(
            "scratch database {} on {}",
            self.name,
            self.server.describe()
        )
    }
}

impl Drop for ScratchDatabase<'_> {
    fn drop(&mut self) {
        if let Ok(mut admin) = self.server.connect_to("postgres") {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                crate::sql::ident(&self.name)
            ));
        }
    }
}
