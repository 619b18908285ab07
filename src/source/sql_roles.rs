//! The roles a `.sql` model names in `GRANT`, `REVOKE`, `ALTER DEFAULT PRIVILEGES` and
//! `ALTER ... OWNER TO`. pgshift never creates roles in a target database; but a model is
//! built in a scratch database, where those roles must exist for PostgreSQL to accept the
//! statements. On pgshift's own cluster they are created there (NOLOGIN, no rights); on a
//! `--dev-url` server they must exist already.

use crate::sql::lex;
use std::collections::BTreeMap;

/// A word of a statement: a name (unquoted ones folded to lower case) and whether it was
/// quoted; punctuation is a word of its own.
#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Punct(char),
}

impl Tok {
    fn is(&self, kw: &str) -> bool {
        matches!(self, Tok::Word(w) if w == kw)
    }

    fn name(&self) -> Option<&str> {
        match self {
            Tok::Word(w) | Tok::Quoted(w) => Some(w),
            Tok::Punct(_) => None,
        }
    }
}

fn tokens(text: &str) -> Vec<Tok> {
    let mut out = vec![];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut name = String::new();
                while let Some(c) = chars.next() {
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    name.push(c);
                }
                out.push(Tok::Quoted(name));
            }
            '\'' => {
                // A string: skipped (no role is named by one).
                while let Some(c) = chars.next() {
                    if c == '\'' && chars.peek() != Some(&'\'') {
                        break;
                    }
                    if c == '\'' {
                        chars.next();
                    }
                }
                out.push(Tok::Punct('\''));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = c.to_lowercase().to_string();
                while let Some(&n) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || n == '$' {
                        word.extend(n.to_lowercase());
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Word(word));
            }
            c => out.push(Tok::Punct(c)),
        }
    }
    out
}

/// Names in a comma-separated list starting at `toks[at]`, up to a word in `stop`.
fn role_list(toks: &[Tok], mut at: usize, stop: &[&str], out: &mut Vec<String>) {
    while let Some(t) = toks.get(at) {
        if stop.iter().any(|s| t.is(s)) {
            break;
        }
        if t.is("group") || t.is("role") || t.is("user") {
            at += 1;
            continue;
        }
        if let Some(name) = t.name() {
            let special = matches!(t, Tok::Word(w) if matches!(w.as_str(),
                "public" | "current_user" | "current_role" | "session_user"));
            if !special {
                out.push(name.to_string());
            }
        }
        at += 1;
        if !matches!(toks.get(at), Some(Tok::Punct(','))) {
            break;
        }
        at += 1;
    }
}

/// The roles one statement names.
pub(super) fn roles_of(statement: &str) -> Vec<String> {
    let toks = tokens(statement);
    let mut out = vec![];
    let first = |kw: &str| toks.iter().position(|t| t.is(kw));
    let last = |kw: &str| toks.iter().rposition(|t| t.is(kw));
    let starts =
        |words: &[&str]| words.len() <= toks.len() && words.iter().zip(&toks).all(|(w, t)| t.is(w));
    let mut body = 0;
    if starts(&["alter", "default", "privileges"]) {
        if let Some(f) = first("for") {
            role_list(&toks, f + 2, &["in", "grant", "revoke"], &mut out);
        }
        body = first("grant")
            .or_else(|| first("revoke"))
            .unwrap_or(toks.len());
    } else if starts(&["alter"]) {
        if let Some(o) = toks
            .windows(2)
            .position(|w| w[0].is("owner") && w[1].is("to"))
        {
            role_list(&toks, o + 2, &[], &mut out);
        }
        return out;
    }
    match toks.get(body) {
        Some(t) if t.is("grant") => {
            if let Some(to) = last("to").filter(|&to| to > body) {
                role_list(&toks, to + 1, &["with", "granted"], &mut out);
            }
        }
        Some(t) if t.is("revoke") => {
            if let Some(from) = last("from").filter(|&f| f > body) {
                role_list(
                    &toks,
                    from + 1,
                    &["cascade", "restrict", "granted"],
                    &mut out,
                );
            }
        }
        _ => {}
    }
    out
}

/// Every role the model names, with the byte offset of the first statement naming it.
pub fn named_roles(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (offset, statement) in lex::statements(text) {
        // Most statements name no role: skip them before tokenizing.
        let lower = statement.to_ascii_lowercase();
        if !["grant", "revoke", "owner"]
            .iter()
            .any(|w| lower.contains(w))
        {
            continue;
        }
        let at = offset + (statement.len() - statement.trim_start().len());
        for role in roles_of(statement) {
            out.entry(role).or_insert(at);
        }
    }
    out
}

/// `ALTER ... OWNER TO r` needs `r` to hold CREATE on the object's schema (a superuser,
/// which runs migrations on a target, is exempt; the model role is not). The roles
/// pgshift made for a model get CREATE on the schemas that exist before the model's other
/// statements run (`public` and its plain `CREATE SCHEMA`s) for the time of the load
/// ([`lend_create`]), and lose it before the schema is read ([`unlend_create`]). A model
/// that itself grants CREATE on such a schema to such a role loses that grant
/// (docs/decisions.md).
#[derive(Default)]
pub(super) struct Lent {
    /// The schemas CREATE was lent on.
    schemas: Vec<String>,
    /// Those that had no ACL before (see [`unlent`]).
    pub without_acl: Vec<String>,
}

fn lend_error(e: postgres::Error) -> crate::error::Error {
    crate::error::Error::Database {
        what: "lending CREATE on the model's schemas to the roles it names".into(),
        target: "the scratch database".into(),
        reason: super::describe_pg_error(&e),
    }
}

pub(super) fn lend_create(
    client: &mut postgres::Client,
    roles: &[String],
) -> crate::error::Result<Lent> {
    use crate::sql::ddl::privileges::{grant, Target};
    if roles.is_empty() {
        return Ok(Lent::default());
    }
    let rows = client
        .query(
            "SELECT n.nspname::text, n.nspacl IS NULL FROM pg_catalog.pg_namespace n \
             WHERE n.nspname = 'public' OR n.nspowner = \
             (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)",
            &[],
        )
        .map_err(lend_error)?;
    let lent = Lent {
        schemas: rows.iter().map(|r| r.get(0)).collect(),
        without_acl: rows
            .iter()
            .filter(|r| r.get::<_, bool>(1))
            .map(|r| r.get(0))
            .collect(),
    };
    let mut sql = String::new();
    for schema in &lent.schemas {
        for role in roles {
            sql.push_str(&grant(Target::Schema(schema), &["CREATE"], role, false));
            sql.push_str(";\n");
        }
    }
    client.batch_execute(&sql).map_err(lend_error)?;
    Ok(lent)
}

/// Takes back what [`lend_create`] lent. A schema the model gave to another owner
/// (`ALTER SCHEMA ... OWNER TO` one of those roles) holds the lent grant under its new
/// owner's name (PostgreSQL moves the grantor with the ownership): it is revoked as that
/// owner, whose member the model role is on pgshift's cluster.
pub(super) fn unlend_create(
    client: &mut postgres::Client,
    roles: &[String],
    lent: &Lent,
) -> crate::error::Result<()> {
    use crate::sql::ddl::privileges::{revoke, Target};
    use crate::sql::ident;
    let mut sql = String::new();
    for schema in &lent.schemas {
        let owner: Option<String> = client
            .query_opt(
                "SELECT pg_catalog.pg_get_userbyid(n.nspowner)::text FROM pg_catalog.pg_namespace n \
                 WHERE n.nspname = $1 AND n.nspowner <> \
                 (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)",
                &[schema],
            )
            .map_err(lend_error)?
            .map(|r| r.get(0));
        if let Some(o) = &owner {
            sql.push_str(&format!("SET ROLE {};\n", ident(o)));
        }
        for role in roles {
            sql.push_str(&revoke(
                Target::Schema(schema),
                &["CREATE"],
                role,
                false,
                false,
            ));
            sql.push_str(";\n");
        }
        if owner.is_some() {
            sql.push_str("RESET ROLE;\n");
        }
    }
    client.batch_execute(&sql).map_err(lend_error)
}

/// A schema that had no ACL before CREATE was lent on it and grants nothing now is as the
/// model left it: not managed (the lending made its ACL explicit).
pub(super) fn unlent(schema: &mut crate::schema::Schema, without_acl: &[String]) {
    use crate::schema::ObjectId;
    for name in without_acl {
        let id = ObjectId::Schema(name.as_str().into());
        let objects = &mut schema.privileges.objects;
        if let Some(p) = objects.get_mut(&id) {
            if p.acl.as_ref().is_some_and(|a| a.is_empty()) {
                p.acl = None;
            }
            if p.acl.is_none() && p.owner.is_none() {
                objects.remove(&id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(sql: &str) -> Vec<String> {
        named_roles(sql).into_keys().collect()
    }

    #[test]
    fn grants_and_revokes() {
        assert_eq!(
            roles("GRANT SELECT, UPDATE (a, b) ON t TO app, \"Read Only\" WITH GRANT OPTION;"),
            ["Read Only", "app"]
        );
        assert_eq!(
            roles("GRANT EXECUTE ON FUNCTION f(integer) TO GROUP ops, PUBLIC;"),
            ["ops"]
        );
        assert_eq!(
            roles("REVOKE ALL ON t FROM PUBLIC, reporting CASCADE;"),
            ["reporting"]
        );
        assert_eq!(
            roles("grant usage on schema s to current_user;"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn default_privileges_and_owners() {
        assert_eq!(
            roles("ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA s GRANT SELECT ON TABLES TO app;"),
            ["app", "migrator"]
        );
        assert_eq!(
            roles("ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM public;"),
            Vec::<String>::new()
        );
        assert_eq!(roles("ALTER TABLE public.t OWNER TO \"Owner\";"), ["Owner"]);
        assert_eq!(
            roles("ALTER TABLE t ADD COLUMN x int;"),
            Vec::<String>::new()
        );
        assert_eq!(roles("SELECT 'GRANT x TO y';"), Vec::<String>::new());
    }
}
