//! `ALTER ... OWNER TO role` in a `.sql` model built on a `--dev-url` server.
//!
//! There the model runs as a role that is no member of the roles the model names (they
//! existed before; pgshift never lends membership in one, see `pg::scratch`), and
//! PostgreSQL refuses the statement ("must be able to SET ROLE", and the new owner would
//! need CREATE on the schema too). What the statement says is recorded instead: it is
//! taken out of the text that runs, and once the model is read back the object it names
//! (resolved by PostgreSQL itself, `to_regclass` and the like, so quoting, case and the
//! search path are as in the statement) gets that owner. On pgshift's own cluster the
//! statement runs, as before.

use super::model::Origin;
use crate::error::Result;
use crate::schema::privileges::exists;
use crate::schema::{FunctionKey, ObjectId, QualifiedName, Schema};
use std::path::Path;

/// The object classes whose owner the IR keeps, as `ALTER <class>` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Relation,
    Routine,
    Type,
    Schema,
}

/// One `ALTER <class> name OWNER TO role` taken out of the model.
#[derive(Clone, Debug)]
pub struct OwnerStatement {
    /// Byte offset of the statement in the file.
    pub at: usize,
    class: Class,
    /// The object's name as written (`public."Orders"`, `f(integer)`).
    name: String,
    role: String,
}

/// The words of `ALTER ...` before the name, for each class (lower case).
const PREFIXES: &[(&[&str], Class)] = &[
    (&["table"], Class::Relation),
    (&["view"], Class::Relation),
    (&["materialized", "view"], Class::Relation),
    (&["sequence"], Class::Relation),
    (&["function"], Class::Routine),
    (&["procedure"], Class::Routine),
    (&["routine"], Class::Routine),
    (&["type"], Class::Type),
    (&["domain"], Class::Type),
    (&["schema"], Class::Schema),
];

/// `statement` (starting at byte `at` of the file) when it is `ALTER <class> [IF EXISTS]
/// [ONLY] name OWNER TO role` for a class the IR keeps owners of and a named role
/// (`CURRENT_USER` and the like change nothing here: the statement runs).
pub fn owner_statement(at: usize, statement: &str) -> Option<OwnerStatement> {
    let mut rest = skip_blank(statement);
    rest = keyword(rest, "alter")?;
    let (words, class) = PREFIXES
        .iter()
        .find(|(words, _)| words.iter().try_fold(rest, |r, w| keyword(r, w)).is_some())?;
    rest = words.iter().try_fold(rest, |r, w| keyword(r, w))?;
    if let Some(r) = keyword(rest, "if").and_then(|r| keyword(r, "exists")) {
        rest = r;
    }
    if let Some(r) = keyword(rest, "only") {
        rest = r;
    }
    let lower = rest.to_ascii_lowercase();
    let owner_at = lower
        .match_indices("owner")
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = lower[..i].chars().last().is_some_and(char::is_whitespace);
            let after = keyword(skip_blank(&rest[i + 5..]), "to").is_some();
            before && after && rest[i + 5..].starts_with(char::is_whitespace)
        })
        .last()?;
    let name = rest[..owner_at]
        .trim()
        .trim_end_matches('*')
        .trim()
        .to_string();
    let role = super::sql_roles::roles_of(statement).into_iter().next()?;
    // `ALTER TABLE t ADD COLUMN x int, OWNER TO r`: more than an owner change; it runs
    // (and PostgreSQL says what it says).
    if name.is_empty() || (*class != Class::Routine && !one_name(&name)) {
        return None;
    }
    Some(OwnerStatement {
        at: at + (statement.len() - statement.trim_start().len()),
        class: *class,
        name,
        role,
    })
}

/// Whether `name` is one (possibly qualified) name: no blank or comma outside quotes.
fn one_name(name: &str) -> bool {
    let mut quoted = false;
    name.chars().all(|c| {
        if c == '"' {
            quoted = !quoted;
        }
        quoted || !(c.is_whitespace() || c == ',')
    })
}

fn skip_blank(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if let Some(r) = t.strip_prefix("--") {
            s = r.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(r) = t.strip_prefix("/*") {
            s = r.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return t;
        }
    }
}

/// `s` after the keyword `kw` (case-insensitive, a whole word) and the blanks after it.
fn keyword<'a>(s: &'a str, kw: &str) -> Option<&'a str> {
    let s = skip_blank(s);
    let head = s.get(..kw.len())?;
    let next = s[kw.len()..].chars().next();
    let whole = next.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$'));
    (head.eq_ignore_ascii_case(kw) && whole).then(|| skip_blank(&s[kw.len()..]))
}

/// An error of a model on a `--dev-url` server that comes from the loading role being no
/// member of a role the model names (`ALTER DEFAULT PRIVILEGES FOR ROLE r`, `SET ROLE r`):
/// with a hint saying why and what to do.
pub fn on_dev_url(err: crate::Error) -> crate::Error {
    match err {
        crate::Error::SqlFile {
            path,
            line,
            column,
            message,
            ..
        } if message.contains("must be member of role")
            || message.contains("permission denied to change default privileges")
            || message.contains("permission denied to set role") =>
        {
            crate::Error::SqlFile {
                path,
                line,
                column,
                message,
                hint: Some(
                    "on a --dev-url server the model runs as a role that is no member of the roles it names, \
                     so `FOR ROLE` another role is refused there (pgshift records `OWNER TO`, but not this): \
                     build the model on pgshift's own cluster (leave out --dev-url and PGSHIFT_DEV_URL), \
                     where the roles are made for it"
                        .into(),
                ),
            }
        }
        other => other,
    }
}

/// Sets the owner each statement names on the object it names in `schema` (read back
/// from the scratch database `client` is connected to, on the connection the model ran
/// on, so names resolve as they did there).
pub fn apply(
    client: &mut postgres::Client,
    statements: &[OwnerStatement],
    schema: &mut Schema,
    path: &Path,
    text: &str,
) -> Result<()> {
    for s in statements {
        let origin = Origin::at_offset(path, text, s.at);
        let id = resolve(client, s).map_err(|reason| {
            origin.error(
                format!(
                    "OWNER TO {}: {} is not in the model as PostgreSQL reads it back (on a --dev-url server pgshift records the owner rather than running the statement){reason}",
                    crate::sql::terminal(&s.role),
                    crate::sql::terminal(&s.name)
                ),
                Some(
                    "name an object the model creates (a table, view, sequence, function, type, domain or schema)"
                        .into(),
                ),
            )
        })?;
        if !exists(schema, &id) {
            return Err(origin.error(
                format!("{id} is not an object whose owner pgshift keeps"),
                Some("leave this OWNER TO out of the model, or give its table's owner".into()),
            ));
        }
        schema.privileges.objects.entry(id).or_default().owner = Some(s.role.clone());
    }
    Ok(())
}

fn resolve(
    client: &mut postgres::Client,
    s: &OwnerStatement,
) -> std::result::Result<ObjectId, String> {
    let fail = |e: postgres::Error| format!(": {}", super::describe_pg_error(&e));
    let sql = match s.class {
        Class::Relation => {
            "SELECT n.nspname::text, c.relname::text, c.relkind::text
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.oid = pg_catalog.to_regclass($1)"
        }
        Class::Routine if s.name.contains('(') => {
            "SELECT n.nspname::text, p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid)
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             WHERE p.oid = pg_catalog.to_regprocedure($1)"
        }
        Class::Routine => {
            "SELECT n.nspname::text, p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid)
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             WHERE p.oid = pg_catalog.to_regproc($1)"
        }
        Class::Type => {
            "SELECT n.nspname::text, t.typname::text, ''
             FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             WHERE t.oid = pg_catalog.to_regtype($1)"
        }
        Class::Schema => {
            "SELECT n.nspname::text, '', '' FROM pg_catalog.pg_namespace n
             WHERE n.oid = pg_catalog.to_regnamespace($1)"
        }
    };
    let row = client
        .query_opt(sql, &[&s.name])
        .map_err(fail)?
        .ok_or_else(String::new)?;
    let (schema, name, extra): (String, String, String) = (row.get(0), row.get(1), row.get(2));
    let q = QualifiedName::new(schema.as_str(), name.as_str());
    Ok(match s.class {
        Class::Relation => match extra.as_str() {
            "r" | "p" => ObjectId::Table(q),
            "v" | "m" => ObjectId::View(q),
            "S" => ObjectId::Sequence(q),
            _ => return Err(String::new()),
        },
        Class::Routine => ObjectId::Function(FunctionKey {
            schema: schema.into(),
            name: name.into(),
            arguments: extra,
        }),
        Class::Type => ObjectId::Type(q),
        Class::Schema => ObjectId::Schema(schema.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(sql: &str) -> Option<(Class, String, String)> {
        owner_statement(0, sql).map(|s| (s.class, s.name, s.role))
    }

    #[test]
    fn owner_statements_are_recognized() {
        assert_eq!(
            parsed("ALTER TABLE public.\"Orders\" OWNER TO \"App Owner\""),
            Some((
                Class::Relation,
                "public.\"Orders\"".into(),
                "App Owner".into()
            ))
        );
        assert_eq!(
            parsed("-- note\nalter table if exists only t owner to app"),
            Some((Class::Relation, "t".into(), "app".into()))
        );
        assert_eq!(
            parsed("ALTER MATERIALIZED VIEW mv OWNER TO app"),
            Some((Class::Relation, "mv".into(), "app".into()))
        );
        assert_eq!(
            parsed("ALTER FUNCTION f(integer, text) OWNER TO app"),
            Some((Class::Routine, "f(integer, text)".into(), "app".into()))
        );
        assert_eq!(
            parsed("ALTER SCHEMA sales OWNER TO app"),
            Some((Class::Schema, "sales".into(), "app".into()))
        );
        // A name containing the words, and statements that are something else.
        assert_eq!(
            parsed("ALTER TABLE \"owner to\" OWNER TO app"),
            Some((Class::Relation, "\"owner to\"".into(), "app".into()))
        );
        assert_eq!(parsed("ALTER TABLE t OWNER TO CURRENT_USER"), None);
        assert_eq!(parsed("ALTER TABLE t ADD COLUMN x int, OWNER TO app"), None);
        assert_eq!(
            parsed("ALTER TABLE \"My Table\" OWNER TO app"),
            Some((Class::Relation, "\"My Table\"".into(), "app".into()))
        );
        assert_eq!(parsed("ALTER TABLE t ADD COLUMN owner text"), None);
        assert_eq!(parsed("ALTER TABLESPACE x OWNER TO app"), None);
        assert_eq!(parsed("ALTER DATABASE d OWNER TO app"), None);
    }
}
