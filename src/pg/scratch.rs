//! Where pgshift builds throwaway databases: its own private cluster (the default), or an
//! existing server given with `--dev-url`.
//!
//! Model text and replayed migrations never run as a superuser. Each scratch database is
//! owned by a role that is not one (and not a member of `pg_read_server_files`,
//! `pg_write_server_files` or `pg_execute_server_program`), and model text runs on a
//! connection logged in as that role: `COPY ... TO PROGRAM`, server-side file access
//! (`COPY ... TO '/file'`, `pg_read_file`, `lo_import`), untrusted languages, `ALTER
//! SYSTEM` and `CREATE ROLE` are refused by PostgreSQL itself. A connection that only
//! `SET ROLE`s would not do: `RESET ROLE` (or `set_config('role', ...)`) takes it back.
//! The privileged connection creates the databases and the extensions a model declares,
//! nothing else. See docs/design.md ("Loading models without superuser").

use super::Cluster;
use crate::error::{Error, Result};
use crate::source::{connect, describe_pg_error, ConnInfo};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// The role models run as on pgshift's own cluster.
const CLUSTER_MODEL_ROLE: &str = "pgshift_model";

pub struct ScratchServer {
    kind: Kind,
    /// The role model text runs as, set up on first use.
    role: OnceLock<ModelRole>,
    /// New databases get the `citus` extension (see `use_citus`).
    citus: std::sync::atomic::AtomicBool,
    /// New databases get these shared schemas (see `share_schemas`).
    shared: std::sync::Mutex<Option<Shared>>,
}

/// What a schema-per-tenant fleet's database shares with every tenant.
#[derive(Clone, Debug, Default)]
pub struct Shared {
    /// The schemas, in search path order.
    pub schemas: Vec<String>,
    /// (extension, schema) installed in them.
    pub extensions: Vec<(String, String)>,
}

enum Kind {
    Cluster(Cluster),
    Server(ConnInfo),
}

/// Who runs model text.
struct ModelRole {
    name: String,
    /// A password for logging in, when pgshift made the role on a `--dev-url` server.
    password: Option<String>,
    /// Whether pgshift created the role on a `--dev-url` server (and drops it at the end).
    temporary: bool,
}

static NEXT_ROLE: AtomicU32 = AtomicU32::new(0);

/// Names longer than 63 bytes that PostgreSQL cut on a connection, as written.
pub type Truncated = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

impl ScratchServer {
    /// `dev_url` when given, else a new private cluster.
    pub fn new(dev_url: Option<&str>) -> Result<ScratchServer> {
        let kind = match dev_url {
            Some(url) => Kind::Server(ConnInfo::parse(url)?),
            None => Kind::Cluster(Cluster::start_with(&super::ClusterOptions {
                citus: super::citus_installed(),
                ..Default::default()
            })?),
        };
        Ok(ScratchServer {
            kind,
            role: OnceLock::new(),
            citus: std::sync::atomic::AtomicBool::new(false),
            shared: std::sync::Mutex::new(None),
        })
    }

    /// From now on each new database gets the `citus` extension, so that migrations that
    /// place tables with Citus replay here: for a model that uses Citus. pgshift's own
    /// cluster preloads Citus when it is installed beside the server, and is then a
    /// single-node Citus cluster (the coordinator holds the shards); a `--dev-url` server
    /// needs `shared_preload_libraries = 'citus'`.
    pub fn use_citus(&self) {
        self.citus.store(true, Ordering::Relaxed);
    }

    /// From now on each new database has the shared schemas of a schema-per-tenant fleet,
    /// with their extensions, on its search path after `public` (set on the database, so
    /// it holds after each migration's `RESET ALL`): where a tenant's history replays as
    /// it runs in the tenant's schema.
    pub fn share_schemas(&self, shared: Shared) {
        *self.shared.lock().unwrap_or_else(|e| e.into_inner()) = Some(shared);
    }

    /// Whether this is a `--dev-url` server (not pgshift's own cluster).
    pub fn is_dev_url(&self) -> bool {
        matches!(self.kind, Kind::Server(_))
    }

    /// A new empty database owned by the model role, dropped when the guard goes.
    pub fn create_database(&self) -> Result<ScratchDatabase<'_>> {
        let role = self.model_role()?;
        let name = match &self.kind {
            Kind::Cluster(c) => c.next_database_name(),
            Kind::Server(_) => format!(
                "pgshift_tmp_{}_{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0)
            ),
        };
        let mut admin = self.connect_admin("postgres")?;
        // The owner of a database owns its `public` schema too (PostgreSQL 15's
        // `pg_database_owner`), so the model role can create objects there.
        let sql = if role.temporary || matches!(self.kind, Kind::Cluster(_)) {
            format!(
                "CREATE DATABASE {} OWNER {}",
                crate::sql::ident(&name),
                crate::sql::ident(&role.name)
            )
        } else {
            format!("CREATE DATABASE {}", crate::sql::ident(&name))
        };
        admin.batch_execute(&sql).map_err(|e| Error::Database {
            what: "creating a scratch database".into(),
            target: self.describe(),
            reason: describe_pg_error(&e),
        })?;
        let db = ScratchDatabase { server: self, name };
        if self.citus.load(Ordering::Relaxed) {
            db.connect_admin()?
                .batch_execute("CREATE EXTENSION IF NOT EXISTS citus")
                .map_err(|e| Error::Database {
                    what: "creating the citus extension in a scratch database (the model \
                           places tables with Citus: pgshift needs Citus installed beside the \
                           server, or a --dev-url server that preloads it)"
                        .into(),
                    target: self.describe(),
                    reason: describe_pg_error(&e),
                })?;
        }
        let shared = self
            .shared
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(shared) = shared {
            let ident = crate::sql::ident;
            let mut sql = String::new();
            // Made by the privileged connection: the model role may use them (a schema
            // it has no USAGE on is left out of its search path without a word). Granted
            // to PUBLIC, not to the model role, whose name changes from run to run: the
            // schemas read back the same in every run (the replay cache compares them).
            for s in &shared.schemas {
                sql.push_str(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {s};\nGRANT USAGE ON SCHEMA {s} TO PUBLIC;\n",
                    s = ident(s)
                ));
            }
            for (e, s) in &shared.extensions {
                sql.push_str(&format!(
                    "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {};\n",
                    ident(e),
                    ident(s)
                ));
            }
            let path: Vec<String> = ["$user", "public"]
                .into_iter()
                .chain(shared.schemas.iter().map(String::as_str))
                .map(ident)
                .collect();
            sql.push_str(&format!(
                "ALTER DATABASE {} SET search_path = {};\n",
                ident(&db.name),
                path.join(", ")
            ));
            db.connect_admin()?
                .batch_execute(&sql)
                .map_err(|e| Error::Database {
                    what: "setting up the fleet's shared schemas in a scratch database".into(),
                    target: self.describe(),
                    reason: describe_pg_error(&e),
                })?;
        }
        Ok(db)
    }

    /// The model role, made on first use.
    fn model_role(&self) -> Result<&ModelRole> {
        if let Some(r) = self.role.get() {
            return Ok(r);
        }
        let role = match &self.kind {
            Kind::Cluster(_) => self.cluster_role()?,
            Kind::Server(info) => self.server_role(info)?,
        };
        Ok(self.role.get_or_init(|| role))
    }

    /// On pgshift's own cluster: a login role with no privileges beyond its databases.
    /// The cluster trusts its private socket, so no password is needed.
    fn cluster_role(&self) -> Result<ModelRole> {
        let mut admin = self.connect_admin("postgres")?;
        let sql = format!(
            "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {name_lit}) THEN \
             CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS; \
             END IF; END$$",
            name_lit = crate::sql::literal(CLUSTER_MODEL_ROLE),
            name = crate::sql::ident(CLUSTER_MODEL_ROLE),
        );
        admin.batch_execute(&sql).map_err(|e| Error::Database {
            what: "creating the role models are loaded as".into(),
            target: self.describe(),
            reason: describe_pg_error(&e),
        })?;
        Ok(ModelRole {
            name: CLUSTER_MODEL_ROLE.into(),
            password: None,
            temporary: false,
        })
    }

    /// On a `--dev-url` server: its own role when that role holds no server-side file or
    /// program rights; otherwise a temporary login role pgshift makes (with a random
    /// password) and logs in as. If it cannot, models are not loaded there at all.
    fn server_role(&self, info: &ConnInfo) -> Result<ModelRole> {
        let mut admin = connect(&info.with_dbname("postgres"))?;
        let row = admin
            .query_one(
                "SELECT current_user::text, r.rolsuper, r.rolcreaterole, \
                 pg_catalog.pg_has_role(current_user, 'pg_execute_server_program', 'USAGE') \
                 OR pg_catalog.pg_has_role(current_user, 'pg_read_server_files', 'USAGE') \
                 OR pg_catalog.pg_has_role(current_user, 'pg_write_server_files', 'USAGE') \
                 FROM pg_catalog.pg_roles r WHERE r.rolname = current_user",
                &[],
            )
            .map_err(|e| Error::Database {
                what: "reading the rights of the --dev-url role".into(),
                target: info.display(),
                reason: describe_pg_error(&e),
            })?;
        let (user, superuser, createrole, server_access): (String, bool, bool, bool) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        if !superuser && !server_access {
            return Ok(ModelRole {
                name: user,
                password: None,
                temporary: false,
            });
        }
        if !superuser && !createrole {
            return Err(Error::Database {
                what: "choosing a role to load models as".into(),
                target: info.display(),
                reason: format!(
                    "role {user:?} may read or write server files or run server programs, and \
                     cannot create a role without those rights; pgshift does not run model \
                     text as it\n  hint: give --dev-url / PGSHIFT_DEV_URL a role without \
                     pg_read_server_files, pg_write_server_files and pg_execute_server_program \
                     (and CREATEDB), or leave it out to use a private throwaway cluster"
                ),
            });
        }
        let name = format!(
            "pgshift_model_{}_{}",
            std::process::id(),
            NEXT_ROLE.fetch_add(1, Ordering::Relaxed)
        );
        let password = random_password()?;
        admin
            .batch_execute(&format!(
                "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION \
                 NOBYPASSRLS PASSWORD {}",
                crate::sql::ident(&name),
                crate::sql::literal(&password)
            ))
            .map_err(|e| Error::Database {
                what: "creating a role to load models as".into(),
                target: info.display(),
                reason: describe_pg_error(&e),
            })?;
        Ok(ModelRole {
            name,
            password: Some(password),
            temporary: true,
        })
    }

    /// Makes sure role `name`, which a model grants to or makes an owner, exists. On
    /// pgshift's own cluster a missing role is created there, with no rights and no login,
    /// and the model role made a member of it (so that `OWNER TO` and `FOR ROLE` work);
    /// membership is never given in a role that existed before (it could hold rights
    /// models must not have). A `--dev-url` server is shared: a missing role is an error.
    pub fn ensure_role(&self, name: &str) -> std::result::Result<bool, String> {
        let fail = |e: &dyn std::fmt::Display| format!("cannot check or create role {name:?}: {e}");
        let mut admin = self.connect_admin("postgres").map_err(|e| fail(&e))?;
        let exists = admin
            .query_opt(
                "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1",
                &[&name],
            )
            .map_err(|e| fail(&describe_pg_error(&e)))?
            .is_some();
        if exists {
            return Ok(false);
        }
        match &self.kind {
            Kind::Server(_) => Err(format!(
                "the model names role {name:?}, which does not exist on the --dev-url server {}",
                self.describe()
            )),
            Kind::Cluster(_) => {
                let model = self.model_role().map_err(|e| fail(&e))?;
                let role = crate::sql::ident(name);
                admin
                    .batch_execute(&format!(
                        "CREATE ROLE {role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS; \
                         GRANT {role} TO {}",
                        crate::sql::ident(&model.name)
                    ))
                    .map_err(|e| fail(&describe_pg_error(&e)))?;
                Ok(true)
            }
        }
    }

    fn connect_admin(&self, dbname: &str) -> Result<postgres::Client> {
        match &self.kind {
            Kind::Cluster(c) => c.connect(dbname),
            Kind::Server(info) => connect(&info.with_dbname(dbname)),
        }
    }

    fn connect_model(&self, dbname: &str, names: Option<Truncated>) -> Result<postgres::Client> {
        let role = self.model_role()?;
        let mut config = match &self.kind {
            Kind::Cluster(c) => c.config(dbname),
            Kind::Server(info) => info.with_dbname(dbname).config().clone(),
        };
        config.user(&role.name);
        if let Some(p) = &role.password {
            config.password(p);
        }
        if let Some(names) = names {
            config.notice_callback(move |notice| {
                // 42622 name_too_long: `identifier "..." will be truncated to "..."`.
                if notice.code() == &postgres::error::SqlState::NAME_TOO_LONG {
                    let message = notice.message();
                    if let Some(name) = message
                        .split_once('"')
                        .and_then(|(_, rest)| rest.rsplit_once("\" will be truncated to \""))
                        .map(|(name, _)| name.to_string())
                    {
                        names.lock().unwrap_or_else(|e| e.into_inner()).push(name);
                    }
                }
            });
        }
        config.connect(postgres::NoTls).map_err(|e| Error::Connect {
            target: format!("{} as role {}", self.describe(), role.name),
            reason: describe_pg_error(&e),
            hint: if role.temporary {
                "pgshift loads models as a role without superuser rights, which it created \
                 with a password; allow that role to log in (pg_hba.conf: password or scram \
                 authentication for pgshift_model_* roles), give --dev-url a role that is \
                 not a superuser, or leave --dev-url out to use a private throwaway cluster"
            } else {
                "check that the server is running and accepts this role"
            }
            .into(),
        })
    }

    fn describe(&self) -> String {
        match &self.kind {
            Kind::Cluster(c) => {
                format!("the throwaway cluster in {}", c.socket_dir().display())
            }
            Kind::Server(info) => info.display(),
        }
    }
}

impl Drop for ScratchServer {
    fn drop(&mut self) {
        let Some(role) = self.role.get() else { return };
        if role.temporary {
            if let Ok(mut admin) = self.connect_admin("postgres") {
                let _ = admin.batch_execute(&format!(
                    "DROP ROLE IF EXISTS {}",
                    crate::sql::ident(&role.name)
                ));
            }
        }
    }
}

/// `text` with every byte but letters, digits and `-._~` written `%XX`, for a URL.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// 32 hex digits from the kernel's random source. Never shown: it only lets pgshift log
/// in as the role it made.
fn random_password() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::Io {
            path: "/dev/urandom".into(),
            reason: format!("cannot read random bytes for a role password: {e}"),
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub struct ScratchDatabase<'a> {
    server: &'a ScratchServer,
    name: String,
}

impl ScratchDatabase<'_> {
    /// A connection as the database's owner, the role without superuser rights: the only
    /// one model text and replayed migrations run on.
    pub fn connect(&self) -> Result<postgres::Client> {
        self.server.connect_model(&self.name, None)
    }

    /// [`connect`](Self::connect), and the names PostgreSQL cuts to 63 bytes on the way
    /// (it only says so in a notice), for models to refuse them.
    pub fn connect_watching_names(&self) -> Result<(postgres::Client, Truncated)> {
        let names = Truncated::default();
        let client = self.server.connect_model(&self.name, Some(names.clone()))?;
        Ok((client, names))
    }

    /// A connection with the server's own rights (the superuser of pgshift's cluster, or
    /// the `--dev-url` role). For `CREATE EXTENSION` statements pgshift writes itself,
    /// from the list a model declares; never for model text.
    pub fn connect_admin(&self) -> Result<postgres::Client> {
        self.server.connect_admin(&self.name)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// See [`ScratchServer::ensure_role`].
    pub fn ensure_role(&self, role: &str) -> std::result::Result<bool, String> {
        self.server.ensure_role(role)
    }

    /// How to reach this database with the server's own rights, for tools such as
    /// `pg_dump` (a schema-only dump reads every object).
    pub fn admin_config(&self) -> postgres::Config {
        match &self.server.kind {
            Kind::Cluster(c) => c.config(&self.name),
            Kind::Server(info) => info.with_dbname(&self.name).config().clone(),
        }
    }

    /// A `postgresql://` URL that logs in as [`connect`](Self::connect) does (the role
    /// without superuser rights), for another program to run its migrations here: a
    /// sea-orm-migration crate (`pgshift init --adopt CRATE --squash`). Every setting is a
    /// query parameter, as libpq and sqlx read them. It holds the role's password when
    /// there is one: give it only to a child process, in its environment.
    pub fn model_url(&self) -> Result<String> {
        let role = self.server.model_role()?;
        let config = self.admin_config();
        let mut params: Vec<(&str, String)> = vec![("dbname", self.name.clone())];
        match config.get_hosts().first() {
            Some(postgres::config::Host::Unix(p)) => params.push(("host", p.display().to_string())),
            Some(postgres::config::Host::Tcp(h)) => params.push(("host", h.clone())),
            None => {}
        }
        if let Some(port) = config.get_ports().first() {
            params.push(("port", port.to_string()));
        }
        params.push(("user", role.name.clone()));
        let password = match &role.password {
            Some(p) => Some(p.clone()),
            None => config
                .get_password()
                .map(|p| String::from_utf8_lossy(p).to_string()),
        };
        if let Some(p) = password {
            params.push(("password", p));
        }
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect();
        Ok(format!("postgresql:///?{}", query.join("&")))
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
        if let Ok(mut admin) = self.server.connect_admin("postgres") {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                crate::sql::ident(&self.name)
            ));
        }
    }
}
