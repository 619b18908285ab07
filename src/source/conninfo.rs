use crate::error::{Error, Result};
use postgres::config::Host;
use std::str::FromStr;
use std::time::Duration;

/// Connection settings for a live database. Its display never shows the password.
#[derive(Clone, Debug)]
pub struct ConnInfo {
    config: postgres::Config,
}

impl ConnInfo {
    pub fn parse(url: &str) -> Result<ConnInfo> {
        let mut config = postgres::Config::from_str(url).map_err(|e| Error::BadUrl {
            url: redact(url),
            reason: describe_pg_error(&e),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.application_name("pgshift");
        Ok(ConnInfo { config })
    }

    pub fn config(&self) -> &postgres::Config {
        &self.config
    }

    pub fn with_dbname(&self, dbname: &str) -> ConnInfo {
        let mut config = self.config.clone();
        config.dbname(dbname);
        ConnInfo { config }
    }

    /// `user@host:port/dbname`, for messages.
    pub fn display(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => "localhost".to_string(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        let user = self.config.get_user().unwrap_or("(default user)");
        let db = self.config.get_dbname().unwrap_or(user);
        format!("database {db:?} at {user}@{host}:{port}")
    }
}

pub fn connect(info: &ConnInfo) -> Result<postgres::Client> {
    info.config
        .connect(postgres::NoTls)
        .map_err(|e| Error::Connect {
            target: info.display(),
            reason: describe_pg_error(&e),
            hint: connect_hint(&e).to_string(),
        })
}

/// What to check, by kind of failure: the server's answer (SQLSTATE class 28 is
/// authentication, 3D000 a missing database) or no answer at all.
fn connect_hint(e: &postgres::Error) -> &'static str {
    match e.code().map(|c| c.code()) {
        Some(code) if code.starts_with("28") => {
            "check the user name and password in the URL (or PGPASSWORD / ~/.pgpass)"
        }
        Some("3D000") => "check the database name in the URL, or create the database",
        Some(_) => "the server refused the connection; see its message above",
        None => "check that the server is running and that the host and port in the URL are right",
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

/// A URL with any password replaced by `***`, for messages about URLs we could not parse.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(not shown)".to_string();
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_hides_password() {
        let info = ConnInfo::parse("postgres://alice:s3cret@db.example:6543/app").unwrap();
        let shown = info.display();
        assert_eq!(shown, "database \"app\" at alice@db.example:6543");
        assert!(!shown.contains("s3cret"));
    }

    #[test]
    fn redact_replaces_password() {
        assert_eq!(redact("postgres://bob:pw@h/db"), "postgres://bob:***@h/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }
}
