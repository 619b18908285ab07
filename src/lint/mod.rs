//! Schema-design lint: the target schema checked for the mistakes that hurt later (a
//! foreign key nothing indexes, money in floating point, `timestamp` without a time
//! zone...). Rules read the one schema IR, so a model in any source and a live database
//! are linted alike; findings are located in the model's files where it has them.
//!
//! Each rule is a file under `rules/` with a code, a message that says what goes wrong in
//! PostgreSQL terms and a help line; each has a page under docs/lint/. Pure functions of
//! the schema: no I/O here.

mod config;
mod keys;
mod origins;
pub mod rules;

pub use config::{Allow, LintConfig};
pub use origins::Origins;

use crate::schema::{ObjectId, QualifiedName, Schema};
use crate::source::model::Origin;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// How a rule's findings count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not checked.
    Off,
    /// Printed; `lint` still exits 0.
    Warn,
    /// Printed; `lint` exits 1.
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Warn => "warning",
            Level::Error => "error",
        }
    }
}

/// A rule: what it looks for, and the check itself.
pub struct Rule {
    /// The code that names it in output, in pgshift.toml and in docs/lint/CODE.md.
    pub code: &'static str,
    /// One line for `docs/lint/README.md`.
    pub summary: &'static str,
    pub default_level: Level,
    pub check: fn(&Schema, &LintConfig) -> Vec<Hit>,
}

/// What a rule found, before levels, allow lists and locations are applied.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub object: ObjectId,
    /// The columns concerned, where the object is a constraint or index the model may not
    /// name: they locate it in the model.
    pub columns: Vec<String>,
    /// What goes wrong, in PostgreSQL terms.
    pub message: String,
    /// What to do instead.
    pub help: String,
}

impl Hit {
    pub(crate) fn new(object: ObjectId, message: String, help: String) -> Hit {
        Hit {
            object,
            columns: vec![],
            message,
            help,
        }
    }

    pub(crate) fn on_columns(mut self, columns: &[impl AsRef<str>]) -> Hit {
        self.columns = columns.iter().map(|c| c.as_ref().to_string()).collect();
        self
    }
}

/// A finding as reported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub level: Level,
    /// `table public.orders`, `column public.orders.amount`, ...
    pub object: String,
    /// The object's name as allow lists match it: `public.orders.amount`.
    #[serde(skip)]
    pub path: String,
    #[serde(skip)]
    pub id: ObjectId,
    pub message: String,
    pub help: String,
    /// Where the model says it: `file:line:column`.
    #[serde(serialize_with = "origin_text")]
    pub location: Option<Origin>,
    /// The reason an allow list gives, when it allows this finding.
    pub allowed: Option<String>,
    /// The rule's page.
    pub docs: String,
}

fn origin_text<S: serde::Serializer>(o: &Option<Origin>, s: S) -> Result<S::Ok, S::Error> {
    match o {
        Some(o) => s.serialize_some(&o.to_string()),
        None => s.serialize_none(),
    }
}

impl Finding {
    /// Counts towards `lint`'s exit code: an error-level finding no allow list covers.
    pub fn fails(&self) -> bool {
        self.level == Level::Error && self.allowed.is_none()
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let comment = crate::sql::comment;
        match &self.allowed {
            Some(reason) => write!(
                f,
                "allowed[{}]: {}: {}\n  reason: {}",
                self.rule,
                comment(&self.object),
                comment(&self.message),
                comment(reason)
            )?,
            None => write!(
                f,
                "{}[{}]: {}: {}",
                self.level.as_str(),
                self.rule,
                comment(&self.object),
                comment(&self.message)
            )?,
        }
        if let Some(o) = &self.location {
            write!(f, "\n  --> {o}")?;
        }
        if self.allowed.is_none() {
            write!(
                f,
                "\n  help: {}\n  docs: {}",
                comment(&self.help),
                self.docs
            )?;
        }
        Ok(())
    }
}

/// Every finding of the enabled rules on `schema`, in a stable order (rule, then object),
/// located with `origins` where the model has the object.
pub fn lint(schema: &Schema, config: &LintConfig, origins: &Origins) -> Vec<Finding> {
    let mut out = vec![];
    for rule in rules::ALL {
        let level = config.level(rule);
        if level == Level::Off {
            continue;
        }
        let mut hits = (rule.check)(schema, config);
        hits.sort_by(|a, b| a.object.cmp(&b.object));
        for hit in hits {
            let path = object_path(&hit.object);
            out.push(Finding {
                rule: rule.code,
                level,
                object: object_label(&hit.object),
                allowed: config.allowed(rule.code, &path),
                path,
                location: origins.locate(&hit.object, &hit.columns),
                id: hit.object,
                message: hit.message,
                help: hit.help,
                docs: format!("docs/lint/{}.md", rule.code),
            });
        }
    }
    out
}

/// The findings about objects in `touched`: a table's findings when the change touches
/// the table or anything on it.
pub fn touching(findings: Vec<Finding>, touched: &[ObjectId]) -> Vec<Finding> {
    let tables: BTreeSet<&QualifiedName> = touched.iter().filter_map(table_of).collect();
    findings
        .into_iter()
        .filter(|f| touched.contains(&f.id) || table_of(&f.id).is_some_and(|t| tables.contains(t)))
        .collect()
}

/// The table an object belongs to (or is).
fn table_of(id: &ObjectId) -> Option<&QualifiedName> {
    match id {
        ObjectId::Table(t)
        | ObjectId::Column(t, _)
        | ObjectId::Constraint(t, _)
        | ObjectId::Index(t, _)
        | ObjectId::Trigger(t, _)
        | ObjectId::Policy(t, _) => Some(t),
        _ => None,
    }
}

/// `column public.orders."Total"`: the kind, then the name as SQL writes it, so that a
/// name with quotes, dots or line breaks reads unambiguously.
fn object_label(id: &ObjectId) -> String {
    use crate::sql::{ident, qualified};
    match id {
        ObjectId::Schema(s) => format!("schema {}", ident(s)),
        ObjectId::Extension(e) => format!("extension {}", ident(e)),
        ObjectId::Type(q) => format!("type {}", qualified(q)),
        ObjectId::Sequence(q) => format!("sequence {}", qualified(q)),
        ObjectId::Function(k) => format!("function {k}"),
        ObjectId::Table(q) | ObjectId::Placement(q) => format!("table {}", qualified(q)),
        ObjectId::View(q) => format!("view {}", qualified(q)),
        ObjectId::Statistics(q) => format!("statistics {}", qualified(q)),
        ObjectId::Column(t, c) => format!("column {}.{}", qualified(t), ident(c)),
        ObjectId::Constraint(t, c) => format!("constraint {} on {}", ident(c), qualified(t)),
        ObjectId::Index(t, i) => format!("index {} on {}", ident(i), qualified(t)),
        ObjectId::Trigger(t, n) => format!("trigger {} on {}", ident(n), qualified(t)),
        ObjectId::Policy(t, n) => format!("policy {} on {}", ident(n), qualified(t)),
    }
}

/// The dotted name allow lists match: `schema.table`, `schema.table.column`,
/// `schema.table.constraint_or_index`, `schema.type`; unquoted.
fn object_path(id: &ObjectId) -> String {
    match id {
        ObjectId::Schema(s) | ObjectId::Extension(s) => s.to_string(),
        ObjectId::Type(q)
        | ObjectId::Sequence(q)
        | ObjectId::Table(q)
        | ObjectId::View(q)
        | ObjectId::Statistics(q)
        | ObjectId::Placement(q) => format!("{}.{}", q.schema, q.name),
        ObjectId::Function(k) => k.to_string(),
        ObjectId::Column(t, n)
        | ObjectId::Constraint(t, n)
        | ObjectId::Index(t, n)
        | ObjectId::Trigger(t, n)
        | ObjectId::Policy(t, n) => format!("{}.{}.{}", t.schema, t.name, n),
    }
}

/// Counts for the summary line.
pub fn summary(findings: &[Finding]) -> String {
    let count = |level| {
        findings
            .iter()
            .filter(|f| f.level == level && f.allowed.is_none())
            .count()
    };
    let allowed = findings.iter().filter(|f| f.allowed.is_some()).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {} ({} allowed)",
        plural(count(Level::Error), "error"),
        plural(count(Level::Warn), "warning"),
        allowed
    )
}
