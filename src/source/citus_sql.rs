//! The Citus calls of a `.sql` model: `SELECT create_distributed_table('orders',
//! 'tenant_id', colocate_with => 'tenants', shard_count => 16)`,
//! `SELECT create_reference_table('countries')` and
//! `SELECT citus_add_local_table_to_metadata('audit')` (also
//! `create_distributed_table_concurrently`). Models are built on a plain PostgreSQL
//! scratch database, where Citus is not loaded: these statements are recognised here,
//! taken out of the text before it runs, and their placements put on the tables read
//! back. `CREATE EXTENSION citus` is taken out too (the extension is the cluster's,
//! installed on every node).

use crate::schema::{Citus, Name, QualifiedName};

/// One recognised call: the table (as written: schema-qualified or in `public`) and
/// its placement.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub table: QualifiedName,
    pub citus: Citus,
}

/// What a statement is to the Citus reader.
#[derive(Debug, PartialEq)]
pub enum Statement {
    /// Not about Citus: runs as written.
    Other,
    /// `CREATE EXTENSION [IF NOT EXISTS] citus ...`: left out.
    CreateExtension,
    Call(Call),
    /// A call of a Citus placement function pgshift cannot read (arguments that are not
    /// constants, an unknown argument): the message says what.
    Unreadable(String),
}

const DISTRIBUTE: &[&str] = &[
    "create_distributed_table",
    "create_distributed_table_concurrently",
];
const PARAMETERS: &[&str] = &[
    "table_name",
    "distribution_column",
    "distribution_type",
    "colocate_with",
    "shard_count",
];

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Str(String),
    Number(String),
    Punct(&'static str),
}

fn tokens(text: &str) -> Option<Vec<Tok>> {
    let b = text.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let rest = &text[i..];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if rest.starts_with("--") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/")? + 2;
        } else if c == b'\'' || c == b'"' {
            let mut j = i + 1;
            let mut value = String::new();
            loop {
                let k = text[j..].find(c as char)? + j;
                value.push_str(&text[j..k]);
                if b.get(k + 1) == Some(&c) {
                    value.push(c as char);
                    j = k + 2;
                } else {
                    i = k + 1;
                    break;
                }
            }
            out.push(if c == b'\'' {
                Tok::Str(value)
            } else {
                Tok::Quoted(value)
            });
        } else if c.is_ascii_digit() {
            let end = rest
                .find(|ch: char| !ch.is_ascii_digit())
                .unwrap_or(rest.len());
            out.push(Tok::Number(rest[..end].to_string()));
            i += end;
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let end = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$'))
                .unwrap_or(rest.len());
            out.push(Tok::Word(rest[..end].to_string()));
            i += end;
        } else {
            let punct = ["=>", ":=", "::", "(", ")", ",", ".", ";"]
                .into_iter()
                .find(|p| rest.starts_with(p))?;
            out.push(Tok::Punct(punct));
            i += punct.len();
        }
    }
    Some(out)
}

fn is_word(t: Option<&Tok>, kw: &str) -> bool {
    matches!(t, Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
}

/// Whether a script places a table with Citus (a migration to replay: its scratch
/// database then needs the extension).
pub fn script_calls_citus(script: &str) -> bool {
    let lower = script.to_ascii_lowercase();
    ALL_CALLS.iter().any(|f| lower.contains(f))
}

/// Every Citus function a generated migration calls.
const ALL_CALLS: &[&str] = &[
    "create_distributed_table",
    "create_reference_table",
    "citus_add_local_table_to_metadata",
    "undistribute_table",
    "alter_distributed_table",
    "update_distributed_table_colocation",
];

/// Reads one statement of a model.
pub fn classify(statement: &str) -> Statement {
    let Some(toks) = tokens(statement) else {
        // Text the reader cannot split (an operator, a `%`): still a Citus call if it
        // says so, and then one pgshift cannot read.
        let lower = statement.to_ascii_lowercase();
        let names = DISTRIBUTE.iter().chain(&[
            "create_reference_table",
            "citus_add_local_table_to_metadata",
        ]);
        let mentions = names.clone().any(|n| lower.contains(n));
        return if lower.trim_start().starts_with("select") && mentions {
            Statement::Unreadable(
                "pgshift reads only constant arguments ('text', numbers) in Citus calls".into(),
            )
        } else {
            Statement::Other
        };
    };
    let mut toks: &[Tok] = &toks;
    while let [rest @ .., Tok::Punct(";")] = toks {
        toks = rest;
    }
    if is_word(toks.first(), "create") && is_word(toks.get(1), "extension") {
        let mut at = 2;
        if is_word(toks.get(2), "if") {
            at = 5;
        }
        let name = match toks.get(at) {
            Some(Tok::Word(w)) => w.to_ascii_lowercase(),
            Some(Tok::Quoted(q)) => q.clone(),
            _ => return Statement::Other,
        };
        return if name == "citus" {
            Statement::CreateExtension
        } else {
            Statement::Other
        };
    }
    if !is_word(toks.first(), "select") {
        return Statement::Other;
    }
    let mut at = 1;
    if is_word(toks.get(1), "pg_catalog") && toks.get(2) == Some(&Tok::Punct(".")) {
        at = 3;
    }
    let function = match toks.get(at) {
        Some(Tok::Word(w)) => w.to_ascii_lowercase(),
        _ => return Statement::Other,
    };
    let kind = if DISTRIBUTE.contains(&function.as_str()) {
        0
    } else if function == "create_reference_table" {
        1
    } else if function == "citus_add_local_table_to_metadata" {
        2
    } else {
        return Statement::Other;
    };
    match arguments(&toks[at + 1..]) {
        Ok(args) => match call(kind, &function, args) {
            Ok(c) => Statement::Call(c),
            Err(e) => Statement::Unreadable(e),
        },
        Err(e) => Statement::Unreadable(format!("{function}(...): {e}")),
    }
}

/// (name if given with `=>`, constant value) of each argument, in order.
fn arguments(toks: &[Tok]) -> Result<Vec<(Option<String>, Tok)>, String> {
    let unreadable = || "pgshift reads only constant arguments ('text', numbers)".to_string();
    let [Tok::Punct("("), inner @ .., Tok::Punct(")")] = toks else {
        return Err(unreadable());
    };
    let mut out = vec![];
    if inner.is_empty() {
        return Ok(out);
    }
    for part in inner.split(|t| *t == Tok::Punct(",")) {
        let (name, value) = match part {
            [Tok::Word(n), Tok::Punct("=>" | ":="), value @ ..] => {
                (Some(n.to_ascii_lowercase()), value)
            }
            value => (None, value),
        };
        let value = match value {
            [v] => v,
            // 'orders'::regclass, 'x'::text
            [v, Tok::Punct("::"), Tok::Word(_)] => v,
            _ => return Err(unreadable()),
        };
        if !matches!(value, Tok::Str(_) | Tok::Number(_)) {
            return Err(unreadable());
        }
        out.push((name, value.clone()));
    }
    Ok(out)
}

fn call(kind: u8, function: &str, args: Vec<(Option<String>, Tok)>) -> Result<Call, String> {
    let params: &[&str] = match kind {
        0 => PARAMETERS,
        1 => &["table_name"],
        _ => &["table_name", "cascade_via_foreign_keys"],
    };
    let mut values: Vec<Option<Tok>> = vec![None; params.len()];
    for (i, (name, value)) in args.into_iter().enumerate() {
        let slot = match &name {
            Some(n) => params.iter().position(|p| p == n).ok_or_else(|| {
                format!("{function}(...) has no argument {n:?} that pgshift knows")
            })?,
            None if i < params.len() => i,
            None => return Err(format!("{function}(...): too many arguments")),
        };
        values[slot] = Some(value);
    }
    let text = |i: usize| match &values[i] {
        Some(Tok::Str(s)) => Some(s.clone()),
        _ => None,
    };
    let table = text(0)
        .and_then(|t| regclass(&t))
        .ok_or_else(|| format!("{function}(...) needs the table's name as a 'string'"))?;
    let citus = match kind {
        0 => {
            let column = text(1).ok_or_else(|| {
                format!("{function}(...) needs the distribution column as a 'string'")
            })?;
            if let Some(t) = text(2) {
                if !t.eq_ignore_ascii_case("hash") {
                    return Err(format!(
                        "distribution_type {t:?}: pgshift models hash distribution only"
                    ));
                }
            }
            let colocate_with = match text(3) {
                None => None,
                Some(c) if c.eq_ignore_ascii_case("none") || c.eq_ignore_ascii_case("default") => {
                    None
                }
                Some(c) => Some(
                    regclass(&c)
                        .ok_or_else(|| format!("colocate_with {c:?} is not a table name"))?,
                ),
            };
            let shard_count = match &values[4] {
                None => None,
                Some(Tok::Number(n)) => Some(
                    n.parse::<u32>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("shard_count {n} is not a positive number"))?,
                ),
                Some(_) => return Err("shard_count takes a number".into()),
            };
            Citus::Distributed {
                column: Name::from(column),
                colocate_with,
                shard_count,
            }
        }
        1 => Citus::Reference,
        _ => Citus::Local,
    };
    Ok(Call { table, citus })
}

/// A `regclass` text as PostgreSQL reads it: `name` or `schema.name`, unquoted parts
/// folded to lower case; a bare name is in `public` (the model's search path).
fn regclass(text: &str) -> Option<QualifiedName> {
    let toks = tokens(text)?;
    let part = |t: &Tok| match t {
        Tok::Word(w) => Some(w.to_lowercase()),
        Tok::Quoted(q) => Some(q.clone()),
        _ => None,
    };
    match toks.as_slice() {
        [n] => Some(QualifiedName::new("public", part(n)?)),
        [s, Tok::Punct("."), n] => Some(QualifiedName::new(part(s)?, part(n)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(sql: &str) -> Call {
        match classify(sql) {
            Statement::Call(c) => c,
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn reads_the_placement_calls() {
        let c = placed(
            "SELECT create_distributed_table('Orders', 'tenant_id', colocate_with => 'app.\"Tenants\"', shard_count := 16)",
        );
        assert_eq!(c.table, QualifiedName::new("public", "orders"));
        assert_eq!(
            c.citus,
            Citus::Distributed {
                column: "tenant_id".into(),
                colocate_with: Some(QualifiedName::new("app", "Tenants")),
                shard_count: Some(16),
            }
        );
        let c = placed("select pg_catalog.create_reference_table('app.countries'::regclass);");
        assert_eq!(c.table, QualifiedName::new("app", "countries"));
        assert_eq!(c.citus, Citus::Reference);
        assert_eq!(
            placed("SELECT citus_add_local_table_to_metadata('audit')").citus,
            Citus::Local
        );
        assert_eq!(
            classify("CREATE EXTENSION IF NOT EXISTS citus"),
            Statement::CreateExtension
        );
        assert_eq!(classify("SELECT 1"), Statement::Other);
        assert_eq!(classify("CREATE EXTENSION hstore"), Statement::Other);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for sql in [
            "SELECT create_distributed_table(format('%s', 't'), 'id')",
            "SELECT create_distributed_table('t', 'id', 'append')",
            "SELECT create_distributed_table('t', 'id', colour => 'red')",
            "SELECT create_reference_table()",
        ] {
            assert!(
                matches!(classify(sql), Statement::Unreadable(_)),
                "{sql}: {:?}",
                classify(sql)
            );
        }
    }
}
