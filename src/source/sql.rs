//! A `.sql` model: loaded into a scratch database, then introspected, so it is compared
//! exactly as PostgreSQL stores it (defaults, checks and expressions normalized by the
//! server itself).

use super::{describe_pg_error, introspect, IntrospectOptions};
use crate::error::{Error, Result};
use crate::pg::ScratchServer;
use crate::schema::Schema;
use std::path::Path;

pub fn load(server: &ScratchServer, path: &Path, options: &IntrospectOptions) -> Result<Schema> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        reason: format!("cannot read this schema file: {e}"),
    })?;
    let db = server.create_database()?;
    let mut client = db.connect()?;
    if let Err(e) = client.batch_execute(&text) {
        return Err(sql_error(path, &text, &e));
    }
    introspect(&mut client, options, &db.describe())
}

/// The server's complaint, located in the file (PostgreSQL reports a 1-based character
/// offset into what we sent).
fn sql_error(path: &Path, text: &str, e: &postgres::Error) -> Error {
    let (mut line, mut column) = (1, 1);
    let mut hint = None;
    if let Some(db) = e.as_db_error() {
        hint = db.hint().map(str::to_string);
        if let Some(postgres::error::ErrorPosition::Original(pos)) = db.position() {
            (line, column) = line_col(text, *pos as usize);
        }
    }
    let message = match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_string();
            if let Some(d) = db.detail() {
                m.push_str(&format!(" ({d})"));
            }
            m
        }
        None => describe_pg_error(e),
    };
    Error::SqlFile {
        path: path.to_path_buf(),
        line,
        column,
        message: format!("PostgreSQL rejected this schema file: {message}"),
        hint: hint.or_else(|| Some("fix the statement at this position and run again".into())),
    }
}

fn line_col(text: &str, char_pos: usize) -> (usize, usize) {
    let (mut line, mut col) = (1, 1);
    for c in text.chars().take(char_pos.saturating_sub(1)) {
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// Builds a model's statements in a scratch database and introspects the result.
///
/// Statements run one by one, each in its own transaction. One that fails is retried
/// after the rest has run, as long as each pass makes progress: that orders what a fixed
/// order cannot (a view on a view written after it). What still fails is reported at the
/// model object it comes from.
pub fn load_statements(
    server: &ScratchServer,
    statements: &[super::model_sql::Statement],
    options: &IntrospectOptions,
) -> Result<Schema> {
    let db = server.create_database()?;
    let mut client = db.connect()?;
    // Function bodies are checked when called, not when created, as pg_dump restores do:
    // a SQL function may name a table created after it.
    client
        .batch_execute("SET check_function_bodies = false")
        .map_err(|e| Error::Database {
            what: "preparing the scratch database".into(),
            target: db.describe(),
            reason: describe_pg_error(&e),
        })?;
    let mut pending: Vec<&super::model_sql::Statement> = statements.iter().collect();
    loop {
        let mut failed = vec![];
        for s in &pending {
            if let Err(e) = client.batch_execute(&s.sql) {
                failed.push((*s, e));
            }
        }
        if failed.is_empty() {
            break;
        }
        if failed.len() == pending.len() {
            let (s, e) = &failed[0];
            return Err(model_error(s, e));
        }
        pending = failed.into_iter().map(|(s, _)| s).collect();
    }
    introspect(&mut client, options, &db.describe())
}

fn model_error(s: &super::model_sql::Statement, e: &postgres::Error) -> Error {
    let position = e.as_db_error().and_then(|db| match db.position() {
        Some(postgres::error::ErrorPosition::Original(p)) => Some(*p as usize),
        _ => None,
    });
    let (what, origin) = s.locate(position);
    let (message, hint) = match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_string();
            if let Some(d) = db.detail() {
                m.push_str(&format!(" ({d})"));
            }
            (m, db.hint().map(str::to_string))
        }
        None => (describe_pg_error(e), None),
    };
    Error::Model {
        path: origin.path.clone(),
        line: origin.line,
        column: origin.column,
        message: format!(
            "PostgreSQL rejected {what}: {message}\n  generated SQL: {}",
            s.sql
        ),
        hint: hint.or_else(|| Some("fix this object in the model and run again".into())),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn positions() {
        assert_eq!(super::line_col("ab\ncd", 1), (1, 1));
        assert_eq!(super::line_col("ab\ncd", 4), (2, 1));
        assert_eq!(super::line_col("ab\ncd", 5), (2, 2));
    }
}
