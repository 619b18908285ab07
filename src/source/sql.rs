//! A `.sql` model: loaded into a scratch database, then introspected, so it is compared
//! exactly as PostgreSQL stores it (defaults, checks and expressions normalized by the
//! server itself).

use super::model::{strip_bom, Hints};
use super::model_sql::{Rendered, Statement};
use super::postgres::introspect_model;
use super::{describe_pg_error, IntrospectOptions};
use crate::error::{Error, Result};
use crate::pg::ScratchServer;
use crate::schema::Schema;
use crate::sql::{ddl, lex};
use std::path::Path;

/// Loads a `.sql` model. Its plain `CREATE SCHEMA` statements run first and its
/// `CREATE EXTENSION` statements next, with the server's own rights (as pgshift rewrites
/// them from the names they give); all the rest runs, in the order written, as the
/// database's owner, a role without superuser rights (see `pg::scratch`). The planner
/// hints its comments give (`-- pgshift: using ...`, see `sql_hints`) come with it.
pub fn load(
    server: &ScratchServer,
    path: &Path,
    options: &IntrospectOptions,
) -> Result<(Schema, Hints)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        reason: format!("cannot read this schema file: {e}"),
    })?;
    let text = strip_bom(&text);
    // On a --dev-url server `OWNER TO` an existing role is refused: recorded instead.
    let split = split_model(text, server.is_dev_url());
    if let Some((offset, message)) = &split.unreadable {
        return Err(super::model::Origin::at_offset(path, text, *offset).error(
            message.clone(),
            Some("write the call with constant arguments: SELECT create_distributed_table('table', 'column')".into()),
        ));
    }
    let db = server.create_database()?;
    let mut created = vec![];
    for (role, offset) in super::sql_roles::named_roles(text) {
        let made = server.ensure_role(&role).map_err(|reason| {
            super::model::Origin::at_offset(path, text, offset).error(
                reason,
                Some("pgshift does not create roles: create it on that server (roles are shared by all its databases)".into()),
            )
        })?;
        if made {
            created.push(role);
        }
    }
    let (mut client, truncated) = db.connect_watching_names()?;
    for (offset, schema) in &split.schemas {
        client
            .batch_execute(schema)
            .map_err(|e| sql_error(path, text, Some(text[..*offset].chars().count()), &e))?;
    }
    if !split.extensions.is_empty() {
        let mut admin = db.connect_admin()?;
        for (offset, sql) in &split.extensions {
            admin
                .batch_execute(sql)
                .map_err(|e| sql_error(path, text, Some(text[..*offset].chars().count()), &e))?;
        }
    }
    let lent = super::sql_roles::lend_create(&mut client, &created)?;
    if let Err(e) = client.batch_execute(&split.rest) {
        let at = match e.as_db_error().and_then(|d| d.position()) {
            Some(_) => None,
            None => locate_failure(server, &split),
        };
        let err = sql_error(path, text, at, &e);
        return Err(match server.is_dev_url() {
            true => super::sql_owners::on_dev_url(err),
            false => err,
        });
    }
    if let Some(name) = first(&truncated) {
        return Err(name_error(path, text, &name));
    }
    super::sql_roles::unlend_create(&mut client, &created, &lent)?;
    let mut schema = introspect_model(&mut client, options, &db.describe())?;
    super::sql_roles::unlent(&mut schema, &lent.without_acl);
    super::sql_owners::apply(&mut client, &split.owners, &mut schema, path, text)?;
    let mut placements = std::collections::BTreeMap::new();
    for (offset, call) in split.citus {
        let origin = super::model::Origin::at_offset(path, text, offset);
        if placements.contains_key(&call.table) {
            return Err(origin.error(
                format!("{} is placed by Citus twice", call.table),
                Some("keep one call per table".into()),
            ));
        }
        placements.insert(call.table, (call.citus, origin));
    }
    if !placements.is_empty() {
        super::citus::apply(&mut schema, placements, None)?;
    }
    let narrowed = !options.schemas.is_empty()
        || options.exclude != super::Exclude::with_tools(std::iter::empty::<String>());
    let hints = super::sql_hints::read(path, text, &schema, narrowed)?;
    Ok((schema, hints))
}

fn first(truncated: &crate::pg::Truncated) -> Option<String> {
    truncated
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .first()
        .cloned()
}

/// A name PostgreSQL cut, located at its first spelling in the file (unquoted names come
/// back folded to lower case).
fn name_error(path: &Path, text: &str, name: &str) -> Error {
    let lower = text.to_ascii_lowercase();
    let at = text.find(name).or_else(|| lower.find(name)).unwrap_or(0);
    let (line, column) = line_col(text, text[..at].chars().count() + 1);
    let (message, hint) = super::model_sql::too_long("name", name);
    Error::SqlFile {
        path: path.to_path_buf(),
        line,
        column,
        message,
        hint: Some(hint),
    }
}

/// Where (in characters) the statement that failed starts, for an error PostgreSQL reports
/// without a position (a permission denied at run time): the model is run again, a
/// statement at a time, on a new scratch database, up to the first that fails. The file
/// itself runs as one batch, split by PostgreSQL's own parser, which `sql::lex` only
/// approximates; here an approximation is good enough.
fn locate_failure(server: &ScratchServer, split: &SplitModel) -> Option<usize> {
    let db = server.create_database().ok()?;
    let mut client = db.connect().ok()?;
    for (_, schema) in &split.schemas {
        client.batch_execute(schema).ok()?;
    }
    if !split.extensions.is_empty() {
        let mut admin = db.connect_admin().ok()?;
        for (_, sql) in &split.extensions {
            admin.batch_execute(sql).ok()?;
        }
    }
    for (offset, statement) in lex::statements(&split.rest) {
        if client.batch_execute(statement).is_err() {
            let at = offset + (statement.len() - statement.trim_start().len());
            // `rest` keeps the file's characters in place, not its bytes. A statement that
            // fails alone but differently (ALTER SYSTEM is refused in a batch for being in
            // a transaction, alone for its rights) is still the one to look at.
            return Some(split.rest[..at].chars().count());
        }
    }
    None
}

/// A `.sql` model in the three groups the loader runs apart. `rest` is the text with the
/// other two blanked out (line breaks kept), so PostgreSQL's error positions in it are
/// positions in the file.
struct SplitModel {
    schemas: Vec<(usize, String)>,
    extensions: Vec<(usize, String)>,
    /// Citus placement calls, by byte offset (taken out: see `citus_sql`).
    citus: Vec<(usize, super::citus_sql::Call)>,
    /// The first Citus call pgshift cannot read, and why.
    unreadable: Option<(usize, String)>,
    /// `ALTER ... OWNER TO role` statements taken out (see `sql_owners`).
    owners: Vec<super::sql_owners::OwnerStatement>,
    rest: String,
}

fn split_model(text: &str, record_owners: bool) -> SplitModel {
    let mut split = SplitModel {
        schemas: vec![],
        extensions: vec![],
        citus: vec![],
        unreadable: None,
        owners: vec![],
        rest: String::with_capacity(text.len()),
    };
    let mut blanked = vec![];
    for (offset, statement) in lex::statements(text) {
        let at = offset + (statement.len() - statement.trim_start().len());
        use super::citus_sql::{classify, Statement};
        match classify(statement) {
            Statement::Other => {}
            Statement::CreateExtension => {
                blanked.push(offset..offset + statement.len());
                continue;
            }
            Statement::Call(call) => {
                split.citus.push((at, call));
                blanked.push(offset..offset + statement.len());
                continue;
            }
            Statement::Unreadable(message) => {
                split.unreadable.get_or_insert((at, message));
                continue;
            }
        }
        if let Some(owner) = record_owners
            .then(|| super::sql_owners::owner_statement(offset, statement))
            .flatten()
        {
            split.owners.push(owner);
            blanked.push(offset..offset + statement.len());
            continue;
        }
        let Some(words) = lex::words(statement) else {
            continue;
        };
        if let Some(schema) = plain_create_schema(&words) {
            split
                .schemas
                .push((at, ddl::create_schema_if_missing(&schema)));
        } else if let Some(sql) = create_extension(&words) {
            split.extensions.push((at, sql));
        } else {
            continue;
        }
        blanked.push(offset..offset + statement.len());
    }
    let mut last = 0;
    for range in blanked {
        split.rest.push_str(&text[last..range.start]);
        let hidden = &text[range.clone()];
        split.rest.extend(
            hidden
                .chars()
                .map(|c| if c == '\n' || c == '\r' { c } else { ' ' }),
        );
        last = range.end;
    }
    split.rest.push_str(&text[last..]);
    split
}

/// `CREATE SCHEMA [IF NOT EXISTS] name`, and nothing else: the name.
fn plain_create_schema(words: &[lex::Word]) -> Option<String> {
    if words.len() < 3 || !words[0].is("create") || !words[1].is("schema") {
        return None;
    }
    match skip_if_not_exists(&words[2..]) {
        [name] => name.name(),
        _ => None,
    }
}

fn skip_if_not_exists(words: &[lex::Word]) -> &[lex::Word] {
    match words {
        [a, b, c, rest @ ..] if a.is("if") && b.is("not") && c.is("exists") => rest,
        _ => words,
    }
}

/// `text` if it is one `CREATE EXTENSION` statement of the form below: the statement as
/// pgshift writes it (for replays on a scratch database, see `Runner::with_extensions_by`).
pub fn create_extension_statement(text: &str) -> Option<String> {
    create_extension(&lex::words(text)?)
}

/// `CREATE EXTENSION [IF NOT EXISTS] name [WITH] [SCHEMA s] [VERSION v] [CASCADE]`, and
/// nothing else: the statement, written again by pgshift from the names it gives.
fn create_extension(words: &[lex::Word]) -> Option<String> {
    if words.len() < 3 || !words[0].is("create") || !words[1].is("extension") {
        return None;
    }
    let rest = skip_if_not_exists(&words[2..]);
    let (name, mut rest) = rest.split_first()?;
    let name = name.name()?;
    if rest.first().is_some_and(|w| w.is("with")) {
        rest = &rest[1..];
    }
    let (mut schema, mut version, mut cascade) = (None, None, false);
    while let Some((word, after)) = rest.split_first() {
        rest = after;
        if word.is("cascade") {
            cascade = true;
            continue;
        }
        let (value, after) = rest.split_first()?;
        rest = after;
        if word.is("schema") {
            schema = Some(value.name()?);
        } else if word.is("version") {
            version = Some(match value {
                lex::Word::String(v) => v.clone(),
                other => other.name()?,
            });
        } else {
            return None;
        }
    }
    Some(ddl::create_extension_if_missing(
        &name,
        schema.as_deref(),
        version.as_deref(),
        cascade,
    ))
}

/// The server's complaint, located in the file. For the whole file (`statement` None),
/// PostgreSQL reports a 1-based character offset into it; otherwise the failing statement
/// starts `statement` characters into the file.
fn sql_error(path: &Path, text: &str, statement: Option<usize>, e: &postgres::Error) -> Error {
    let (mut line, mut column) = (1, 1);
    let mut hint = None;
    if let Some(db) = e.as_db_error() {
        hint = db.hint().map(str::to_string);
        if let Some(postgres::error::ErrorPosition::Original(pos)) = db.position() {
            (line, column) = line_col(text, *pos as usize);
        }
    }
    if let Some(chars) = statement {
        (line, column) = line_col(text, chars + 1);
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
        hint: hint.or_else(|| {
            Some(
                rights_hint(e)
                    .unwrap_or("fix the statement at this position and run again")
                    .into(),
            )
        }),
    }
}

/// For a refusal for want of rights (SQLSTATE 42501): why a model has none of them.
pub(super) fn rights_hint(e: &postgres::Error) -> Option<&'static str> {
    (e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)).then_some(
        "pgshift loads models as a role that owns the scratch database but is not a superuser: \
         server files and programs, untrusted languages, roles and server settings are out of a \
         model's reach (docs/design.md, \"Loading models without superuser\"); extensions a model \
         declares with CREATE EXTENSION are created with the server's rights",
    )
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
    rendered: &Rendered,
    options: &IntrospectOptions,
) -> Result<Schema> {
    let db = server.create_database()?;
    let (mut client, truncated) = db.connect_watching_names()?;
    // Function bodies are checked when called, not when created, as pg_dump restores do:
    // a SQL function may name a table created after it.
    client
        .batch_execute("SET check_function_bodies = false")
        .map_err(|e| Error::Database {
            what: "preparing the scratch database".into(),
            target: db.describe(),
            reason: describe_pg_error(&e),
        })?;
    for s in &rendered.schemas {
        client
            .batch_execute(&s.sql)
            .map_err(|e| model_error(s, &e))?;
    }
    if !rendered.extensions.is_empty() {
        let mut admin = db.connect_admin()?;
        for s in &rendered.extensions {
            admin
                .batch_execute(&s.sql)
                .map_err(|e| model_error(s, &e))?;
        }
    }
    let mut pending: Vec<&Statement> = rendered.objects.iter().collect();
    loop {
        let mut failed = vec![];
        for s in &pending {
            if let Err(e) = client.batch_execute(&s.sql) {
                failed.push((*s, e));
            } else if let Some(name) = first(&truncated) {
                // A name in SQL text the model gives (a function's, a trigger's).
                let (message, hint) =
                    super::model_sql::too_long(&format!("name in {}", s.what), &name);
                return Err(s.origin.error(message, Some(hint)));
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
    introspect_model(&mut client, options, &db.describe())
}

fn model_error(s: &Statement, e: &postgres::Error) -> Error {
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
        hint: hint.or_else(|| {
            Some(
                rights_hint(e)
                    .unwrap_or("fix this object in the model and run again")
                    .into(),
            )
        }),
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
