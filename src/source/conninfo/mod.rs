//! Connection settings for a live database, as libpq reads them: a URL or a `key=value`
//! string, then the PG* environment variables for what it leaves out, then libpq's
//! defaults; the password from the string, PGPASSWORD, or the password file. Nothing
//! shown to the user (errors, `display`, `Debug`) holds the password.

mod params;
mod pgpass;

pub use params::looks_like_conninfo;

use crate::error::{Error, Result};
use postgres::config::{ChannelBinding, Host, LoadBalanceHosts, SslMode, TargetSessionAttrs};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Connection settings. Its display never shows the password.
#[derive(Clone, Debug)]
pub struct ConnInfo {
    /// Boxed: a ConnInfo sits in enums beside small variants.
    config: Box<postgres::Config>,
    /// Where to look for a password when none was given (`passfile`, PGPASSFILE or
    /// `~/.pgpass`); looked up at connect time, for the database connected to.
    passfile: Option<PathBuf>,
    /// The host as matched in the password file: `localhost` for the default socket
    /// directory, as libpq does.
    default_socket: bool,
}

/// The PG* variables libpq reads, with the keyword each stands for.
const ENVIRONMENT: &[(&str, &str)] = &[
    ("PGHOST", "host"),
    ("PGHOSTADDR", "hostaddr"),
    ("PGPORT", "port"),
    ("PGDATABASE", "dbname"),
    ("PGUSER", "user"),
    ("PGPASSWORD", "password"),
    ("PGPASSFILE", "passfile"),
    ("PGOPTIONS", "options"),
    ("PGAPPNAME", "application_name"),
    ("PGSSLMODE", "sslmode"),
    ("PGREQUIRESSL", "requiressl"),
    ("PGGSSENCMODE", "gssencmode"),
    ("PGCONNECT_TIMEOUT", "connect_timeout"),
    ("PGCLIENTENCODING", "client_encoding"),
    ("PGTARGETSESSIONATTRS", "target_session_attrs"),
    ("PGCHANNELBINDING", "channel_binding"),
    ("PGLOADBALANCEHOSTS", "load_balance_hosts"),
];

/// Where libpq looks for the server's socket when no host is given (Debian's and
/// upstream's defaults).
const SOCKET_DIRS: &[&str] = &["/var/run/postgresql", "/tmp"];

impl ConnInfo {
    /// A URL (`postgres://`, `postgresql://`) or `key=value` string, completed from the
    /// environment as libpq does.
    pub fn parse(text: &str) -> Result<ConnInfo> {
        ConnInfo::parse_with_env(text, &|name| std::env::var(name).ok())
    }

    pub fn parse_with_env(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<ConnInfo> {
        let bad = |reason: String| Error::BadUrl {
            url: params::redact(text),
            reason,
        };
        let mut given = params::parse(text).map_err(bad)?;
        // Environment variables fill in what the string leaves out.
        for (var, key) in ENVIRONMENT {
            if !given.iter().any(|(k, _)| k == key) {
                if let Some(value) = env(var).filter(|v| !v.is_empty()) {
                    given.insert(0, (key.to_string(), value));
                }
            }
        }
        build(&given, env).map_err(|reason| Error::BadUrl {
            url: params::redact(text),
            reason,
        })
    }

    pub fn config(&self) -> &postgres::Config {
        &self.config
    }

    pub fn with_dbname(&self, dbname: &str) -> ConnInfo {
        let mut info = self.clone();
        info.config.dbname(dbname);
        info
    }

    /// `database "db" at user@host:port`, for messages.
    pub fn display(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => match self.config.get_hostaddrs().first() {
                Some(addr) => addr.to_string(),
                None => "localhost".to_string(),
            },
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let user = self.config.get_user().unwrap_or("(default user)");
        let db = self.config.get_dbname().unwrap_or(user);
        format!("database {db:?} at {user}@{host}:{port}")
    }

    /// The password from the password file, when none was given and the file has one
    /// for this host, port, database and user.
    fn password_from_file(&self) -> Option<(String, PathBuf)> {
        let path = self.passfile.as_ref()?;
        let user = self.config.get_user().unwrap_or("");
        let dbname = self.config.get_dbname().unwrap_or(user);
        let ports = self.config.get_ports();
        let hosts: Vec<String> = match self.config.get_hosts() {
            [] => self
                .config
                .get_hostaddrs()
                .iter()
                .map(|a| a.to_string())
                .collect(),
            hosts => hosts
                .iter()
                .map(|h| match h {
                    Host::Tcp(name) => name.clone(),
                    Host::Unix(_) if self.default_socket => "localhost".into(),
                    Host::Unix(dir) => dir.display().to_string(),
                })
                .collect(),
        };
        hosts.iter().enumerate().find_map(|(i, host)| {
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            let target = pgpass::Target {
                host,
                port: &port.to_string(),
                dbname,
                user,
            };
            match pgpass::lookup(path, &target) {
                Ok(found) => found.map(|p| (p, path.clone())),
                Err(warning) => {
                    warn_once(&warning);
                    None
                }
            }
        })
    }
}

/// libpq warns on each connection; pgshift connects many times, so once per process.
fn warn_once(warning: &str) {
    static WARNED: AtomicBool = AtomicBool::new(false);
    if !WARNED.swap(true, Ordering::Relaxed) {
        let _ =
            std::io::Write::write_fmt(&mut std::io::stderr(), format_args!("warning: {warning}\n"));
    }
}

/// A postgres::Config from libpq keywords (a later one wins), with libpq's defaults for
/// the user (the OS user), the database (the user's name) and the host (the default
/// socket directory).
fn build(
    given: &[(String, String)],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ConnInfo, String> {
    let value = |key: &str| {
        given
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let mut config = postgres::Config::new();
    let mut default_socket = false;
    match value("host").filter(|h| !h.is_empty()) {
        Some(hosts) => {
            for host in hosts.split(',') {
                match host {
                    "" => {
                        default_socket = true;
                        config.host_path(default_socket_dir());
                    }
                    h => {
                        config.host(h);
                    }
                }
            }
        }
        None if value("hostaddr").is_none() => {
            default_socket = true;
            config.host_path(default_socket_dir());
        }
        None => {}
    }
    if let Some(addrs) = value("hostaddr").filter(|a| !a.is_empty()) {
        for addr in addrs.split(',') {
            let ip = addr
                .parse()
                .map_err(|_| "hostaddr is not an IP address".to_string())?;
            config.hostaddr(ip);
        }
    }
    if let Some(ports) = value("port").filter(|p| !p.is_empty()) {
        for port in ports.split(',') {
            let port = match port {
                "" => 5432,
                p => p
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| "the port is not a number from 1 to 65535".to_string())?,
            };
            config.port(port);
        }
    }
    let user = match value("user").filter(|u| !u.is_empty()) {
        Some(u) => u.to_string(),
        None => os_user().ok_or("no user given, and the OS user has no name; give one")?,
    };
    config.user(&user);
    config.dbname(value("dbname").filter(|d| !d.is_empty()).unwrap_or(&user));
    if let Some(p) = value("password").filter(|p| !p.is_empty()) {
        config.password(p);
    }
    if let Some(o) = value("options") {
        config.options(o);
    }
    config.application_name(
        value("application_name")
            .or(value("fallback_application_name"))
            .unwrap_or("pgshift"),
    );
    if let Some(encoding) = value("client_encoding") {
        if !encoding.eq_ignore_ascii_case("utf8") && !encoding.eq_ignore_ascii_case("utf-8") {
            return Err("client_encoding: pgshift always talks UTF8 to the server".into());
        }
    }
    config.ssl_mode(ssl_mode(value("sslmode"), value("requiressl"))?);
    if let Some(mode) = value("gssencmode") {
        match mode {
            "disable" | "prefer" | "allow" => {}
            "require" => return Err("gssencmode=require: pgshift has no GSSAPI encryption".into()),
            _ => return Err("gssencmode is not disable, prefer or require".into()),
        }
    }
    match value("connect_timeout") {
        // libpq: zero or less waits forever; pgshift's default is 10 seconds.
        None | Some("") => {
            config.connect_timeout(Duration::from_secs(10));
        }
        Some(t) => {
            let secs: i64 = t
                .trim()
                .parse()
                .map_err(|_| "connect_timeout is not a whole number of seconds".to_string())?;
            if secs > 0 {
                config.connect_timeout(Duration::from_secs(secs.unsigned_abs()));
            }
        }
    }
    if let Some(k) = value("keepalives") {
        config.keepalives(seconds("keepalives", k)? != 0);
    }
    if let Some(s) = value("keepalives_idle") {
        config.keepalives_idle(Duration::from_secs(seconds("keepalives_idle", s)?.max(1)));
    }
    if let Some(s) = value("keepalives_interval") {
        config.keepalives_interval(Duration::from_secs(seconds("keepalives_interval", s)?));
    }
    if let Some(n) = value("keepalives_count") {
        let n = u32::try_from(seconds("keepalives_count", n)?)
            .map_err(|_| "keepalives_count is too large".to_string())?;
        config.keepalives_retries(n);
    }
    if let Some(s) = value("tcp_user_timeout") {
        config.tcp_user_timeout(Duration::from_millis(seconds("tcp_user_timeout", s)?));
    }
    if let Some(attrs) = value("target_session_attrs") {
        config.target_session_attrs(match attrs {
            "any" => TargetSessionAttrs::Any,
            "read-write" => TargetSessionAttrs::ReadWrite,
            "read-only" => TargetSessionAttrs::ReadOnly,
            _ => {
                return Err(
                    "target_session_attrs: pgshift supports any, read-write and read-only".into(),
                )
            }
        });
    }
    if let Some(binding) = value("channel_binding") {
        config.channel_binding(match binding {
            "disable" => ChannelBinding::Disable,
            "prefer" => ChannelBinding::Prefer,
            "require" => ChannelBinding::Require,
            _ => return Err("channel_binding is not disable, prefer or require".into()),
        });
    }
    if let Some(balance) = value("load_balance_hosts") {
        config.load_balance_hosts(match balance {
            "disable" => LoadBalanceHosts::Disable,
            "random" => LoadBalanceHosts::Random,
            _ => return Err("load_balance_hosts is not disable or random".into()),
        });
    }
    let passfile = match value("passfile").filter(|p| !p.is_empty()) {
        Some(p) => Some(PathBuf::from(p)),
        None => pgpass::default_path(home_dir(env)),
    };
    Ok(ConnInfo {
        config: Box::new(config),
        passfile,
        default_socket,
    })
}

/// libpq's sslmode, as far as a connection without TLS can honour it: `disable`,
/// `allow` and `prefer` connect unencrypted; `require`, `verify-ca` and `verify-full`
/// would need TLS, which pgshift does not have: an error, never a silent downgrade.
fn ssl_mode(mode: Option<&str>, requiressl: Option<&str>) -> Result<SslMode, String> {
    let mode = match (mode, requiressl) {
        (Some(m), _) => m,
        (None, Some("1")) => "require",
        _ => "prefer",
    };
    match mode {
        "disable" => Ok(SslMode::Disable),
        "allow" | "prefer" => Ok(SslMode::Prefer),
        "require" | "verify-ca" | "verify-full" => Err(format!(
            "sslmode={mode} needs TLS, and pgshift does not support TLS connections yet; \
             connect through a TLS tunnel or proxy, or use sslmode=disable or prefer on a network you trust"
        )),
        _ => Err("sslmode is not one of disable, allow, prefer, require, verify-ca, verify-full".into()),
    }
}

fn seconds(key: &str, text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{key} is not a whole number"))
}

/// The first directory libpq would find a server socket in: the one holding a socket,
/// else the first that exists.
fn default_socket_dir() -> &'static Path {
    let dirs = SOCKET_DIRS.iter().map(Path::new);
    dirs.clone()
        .find(|d| d.join(".s.PGSQL.5432").exists())
        .or_else(|| dirs.clone().find(|d| d.is_dir()))
        .unwrap_or(Path::new("/tmp"))
}

fn home_dir(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(home) = env("HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home));
    }
    passwd_field(|pw| pw.pw_dir)
}

/// The name of the OS user we run as, libpq's default user name.
fn os_user() -> Option<String> {
    passwd_field(|pw| pw.pw_name)
}

fn passwd_field<T: From<String>>(field: fn(&libc::passwd) -> *mut libc::c_char) -> Option<T> {
    // SAFETY: getpwuid returns NULL or a pointer to a static passwd record, which we copy
    // from at once; geteuid has no preconditions.
    unsafe {
        let pw = libc::getpwuid(libc::geteuid());
        if pw.is_null() || field(&*pw).is_null() {
            return None;
        }
        let text = std::ffi::CStr::from_ptr(field(&*pw)).to_string_lossy();
        Some(T::from(text.into_owned()))
    }
}

pub fn connect(info: &ConnInfo) -> Result<postgres::Client> {
    connect_with(info, (*info.config).clone())
}

/// `connect`, with `notice` called for each notice the server sends this session
/// (instead of the driver's log line, which nothing shows).
pub fn connect_with_notices(
    info: &ConnInfo,
    notice: impl Fn(postgres::error::DbError) + Send + Sync + 'static,
) -> Result<postgres::Client> {
    let mut config = (*info.config).clone();
    config.notice_callback(notice);
    connect_with(info, config)
}

fn connect_with(info: &ConnInfo, mut config: postgres::Config) -> Result<postgres::Client> {
    let from_file = match info.config.get_password() {
        Some(_) => None,
        None => info.password_from_file(),
    };
    if let Some((password, _)) = &from_file {
        config.password(password.as_str());
    }
    config.connect(postgres::NoTls).map_err(|e| {
        let mut hint = connect_hint(&e).to_string();
        if let Some((_, path)) = &from_file {
            hint.push_str(&format!(
                " (the password came from the password file {})",
                path.display()
            ));
        }
        Error::Connect {
            target: info.display(),
            reason: describe_pg_error(&e),
            hint,
        }
    })
}

/// What to check, by kind of failure: the server's answer (SQLSTATE class 28 is
/// authentication, 3D000 a missing database) or no answer at all.
fn connect_hint(e: &postgres::Error) -> &'static str {
    match e.code().map(|c| c.code()) {
        Some(code) if code.starts_with("28") => {
            "check the user name and password (in the URL, PGPASSWORD or ~/.pgpass)"
        }
        Some("3D000") => "check the database name in the URL (or PGDATABASE), or create the database",
        Some(_) => "the server refused the connection; see its message above",
        None => "check that the server is running and that the host and port (in the URL, or PGHOST and PGPORT) are right",
    }
}

/// One line from a client error: the server's message with its detail and hint, or the
/// underlying I/O error ("Connection refused"), never the connection string.
pub fn describe_pg_error(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut s = db.message().to_string();
        if let Some(d) = db.detail() {
            s.push_str(&format!(" ({d})"));
        }
        if let Some(h) = db.hint() {
            s.push_str(&format!("; hint: {h}"));
        }
        return s;
    }
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        s.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, env: &[(&str, &str)]) -> Result<ConnInfo> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ConnInfo::parse_with_env(text, &move |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn display_hides_password() {
        let info = parse("postgres://alice:s3cret@db.example:6543/app", &[]).unwrap();
        let shown = info.display();
        assert_eq!(shown, "database \"app\" at alice@db.example:6543");
        assert!(!format!("{info:?}").contains("s3cret"));
    }

    #[test]
    fn environment_fills_what_the_string_leaves_out() {
        let env = [
            ("PGHOST", "env.example"),
            ("PGPORT", "7777"),
            ("PGUSER", "envuser"),
            ("PGDATABASE", "envdb"),
            ("PGPASSWORD", "envpw"),
            ("PGAPPNAME", "ci"),
            ("PGCONNECT_TIMEOUT", "3"),
        ];
        let info = parse("postgres://", &env).unwrap();
        assert_eq!(
            info.display(),
            "database \"envdb\" at envuser@env.example:7777"
        );
        assert_eq!(info.config().get_password(), Some(&b"envpw"[..]));
        assert_eq!(info.config().get_application_name(), Some("ci"));
        assert_eq!(
            info.config().get_connect_timeout(),
            Some(&Duration::from_secs(3))
        );
        let info = parse("postgres://u:given@h/db?application_name=x", &env).unwrap();
        assert_eq!(info.display(), "database \"db\" at u@h:7777");
        assert_eq!(info.config().get_password(), Some(&b"given"[..]));
        assert_eq!(info.config().get_application_name(), Some("x"));
        let info = parse("host=/sock dbname=d", &env).unwrap();
        assert_eq!(info.display(), "database \"d\" at envuser@/sock:7777");
    }

    #[test]
    fn defaults_are_libpqs() {
        let info = parse("postgres://", &[]).unwrap();
        assert!(matches!(info.config().get_hosts(), [Host::Unix(_)]));
        assert!(info.default_socket);
        let user = info.config().get_user().unwrap().to_string();
        assert_eq!(info.config().get_dbname(), Some(user.as_str()));
        assert_eq!(info.config().get_application_name(), Some("pgshift"));
        assert_eq!(
            info.config().get_connect_timeout(),
            Some(&Duration::from_secs(10))
        );
    }

    #[test]
    fn password_file_matches_localhost_for_the_default_socket() {
        let dir = std::env::temp_dir().join(format!("pgshift-conninfo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("pgpass");
        std::fs::write(
            &file,
            "localhost:5432:app:me:over-socket\n/elsewhere:5432:app:me:other\n",
        )
        .unwrap();
        std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        let passfile = file.display().to_string();
        let env = [("PGPASSFILE", passfile.as_str()), ("PGUSER", "me")];
        let found = |url: &str| {
            parse(url, &env)
                .unwrap()
                .password_from_file()
                .map(|(p, _)| p)
        };
        assert_eq!(found("postgres:///app").as_deref(), Some("over-socket"));
        assert_eq!(
            found("postgres:///app?host=/elsewhere").as_deref(),
            Some("other")
        );
        assert_eq!(
            found("postgres://localhost/app").as_deref(),
            Some("over-socket")
        );
        assert_eq!(found("postgres:///other"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn sslmode_that_needs_tls_is_an_error() {
        for mode in ["require", "verify-ca", "verify-full"] {
            let e = parse(&format!("postgres://h/db?sslmode={mode}"), &[]).unwrap_err();
            assert!(e.to_string().contains("does not support TLS"), "{e}");
            let e = parse("postgres://h/db", &[("PGSSLMODE", mode)]).unwrap_err();
            assert!(e.to_string().contains(mode), "{e}");
        }
        assert!(parse("postgres://h/db?ssl=true", &[]).is_err());
        for mode in ["disable", "allow", "prefer"] {
            parse(&format!("postgres://h/db?sslmode={mode}"), &[]).unwrap();
        }
    }

    #[test]
    fn bad_values_name_the_parameter_not_the_password() {
        let e = parse("postgres://u:hunter2@h:99999/db", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("port") && !e.contains("hunter2"), "{e}");
        assert!(e.contains("postgres://u:***@h:99999/db"), "{e}");
        let e = parse("host=h port=x password=hunter2", &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("port") && !e.contains("hunter2"), "{e}");
    }
}
