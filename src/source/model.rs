//! The model description shared by the TOML and Rust sources: what the user wrote, with
//! where they wrote it. It is rendered to DDL by `model_sql` and never compared directly:
//! PostgreSQL stores it, and pgshift compares what PostgreSQL stores.

use crate::schema::{QualifiedName, Schema, SequenceOptions};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// Where a model object was written: `file:line:column`, 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

impl Origin {
    /// The line and column of a byte offset into `text`.
    pub fn at_offset(path: &std::path::Path, text: &str, offset: usize) -> Origin {
        // A parser's offset may fall inside a multi-byte character: take its start.
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Origin {
            path: path.to_path_buf(),
            line,
            column,
        }
    }

    pub fn error(&self, message: impl Into<String>, hint: Option<String>) -> crate::Error {
        crate::Error::Model {
            path: self.path.clone(),
            line: self.line,
            column: self.column,
            message: message.into(),
            hint,
        }
    }
}

/// Model text without a UTF-8 byte order mark at its start: editors on Windows write one,
/// and it is not part of the SQL, TOML or Rust (PostgreSQL would read it as part of the
/// first word).
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The candidate closest to `unknown`, when it is close enough to be a typo.
pub fn suggest<'a>(unknown: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(unknown, c), *c))
        .min()
        .filter(|(d, c)| *d <= (c.len().max(unknown.len()) / 2).max(1))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// "did you mean ...?" with the closest of `candidates`, or the list of them.
fn did_you_mean(unknown: &str, candidates: &[String], what: &str) -> String {
    let names: Vec<&str> = candidates.iter().map(String::as_str).collect();
    let closest = suggest(unknown, &names).or_else(|| {
        names
            .iter()
            .min_by_key(|c| edit_distance(unknown, c))
            .copied()
    });
    match closest {
        Some(c) => format!(
            "did you mean {}? ({what}: {}); fix the hint, or remove it if this is no rename",
            crate::sql::literal(c),
            names.join(", ")
        ),
        None => format!("the change drops none ({what}: none): remove the hint"),
    }
}

/// What a model says that PostgreSQL does not store: the planner's hints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Hints {
    /// New table name -> the name it had before (`renamed_from`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub renamed_tables: BTreeMap<QualifiedName, QualifiedName>,
    /// (table, new column name) -> the column's previous name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub renamed_columns: BTreeMap<QualifiedName, BTreeMap<String, String>>,
    /// (table, column) -> the SQL expression that fills existing rows before the column
    /// becomes NOT NULL (two-phase NOT NULL).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub backfills: BTreeMap<QualifiedName, BTreeMap<String, String>>,
    /// (table, column) -> the `USING` expression that converts the column's values when its
    /// type changes (`using`), and the one for the way back (`downgrade_using`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub usings: BTreeMap<QualifiedName, BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub downgrade_usings: BTreeMap<QualifiedName, BTreeMap<String, String>>,
    /// Where each rename hint was written, for errors: keyed by the new table name, and
    /// by (table, new column name).
    #[serde(skip)]
    pub table_hint_origins: BTreeMap<QualifiedName, Origin>,
    #[serde(skip)]
    pub column_hint_origins: BTreeMap<(QualifiedName, String), Origin>,
    /// Name-agnostic matching (docs/rust-models.md#names): a constraint or index the
    /// model does not name matches an existing one with the same definition, whatever
    /// its name. Set for TOML and Rust models.
    #[serde(skip)]
    pub match_by_definition: bool,
    /// (table, name) of the constraints and indexes the model names itself: those are
    /// kept and enforced.
    #[serde(skip)]
    pub explicit_names: std::collections::BTreeSet<(QualifiedName, String)>,
}

impl Hints {
    /// The hints for the way back: every rename reversed, and the model's backfills
    /// replaced by one per renamed column: where the way back adds the old column again
    /// (the downgrade of a rename's contract phase), it is filled from the new one, which
    /// holds the data.
    pub fn inverted(&self) -> Hints {
        let mut renamed_columns: BTreeMap<QualifiedName, BTreeMap<String, String>> =
            BTreeMap::new();
        let mut backfills: BTreeMap<QualifiedName, BTreeMap<String, String>> = BTreeMap::new();
        for (table, renames) in &self.renamed_columns {
            let back = renamed_columns.entry(table.clone()).or_default();
            for (new, old) in renames {
                back.insert(old.clone(), new.clone());
                backfills
                    .entry(table.clone())
                    .or_default()
                    .insert(old.clone(), crate::sql::ident(new));
            }
        }
        Hints {
            renamed_tables: self
                .renamed_tables
                .iter()
                .map(|(new, old)| (old.clone(), new.clone()))
                .collect(),
            renamed_columns,
            backfills,
            usings: self.downgrade_usings.clone(),
            downgrade_usings: self.usings.clone(),
            table_hint_origins: BTreeMap::new(),
            column_hint_origins: BTreeMap::new(),
            match_by_definition: self.match_by_definition,
            explicit_names: self.explicit_names.clone(),
        }
    }

    /// A rename hint must name a table or column the schema before the change has (under
    /// its old name, or already under its new one once the rename ran): a typo would
    /// otherwise plan a drop (DATA_LOSS) and an empty create. A column hint on a table
    /// that is new in whole has nothing to carry and is let be; so is a table hint when
    /// the schema before has no table at all (a first migration).
    pub fn check(&self, old: &Schema, new: &Schema) -> crate::Result<()> {
        for (to, from) in &self.renamed_tables {
            if old.tables.is_empty() || old.tables.contains_key(from) || old.tables.contains_key(to)
            {
                continue;
            }
            let dropped: Vec<String> = old
                .tables
                .keys()
                .filter(|t| !new.tables.contains_key(*t))
                .map(|t| format!("{}.{}", t.schema, t.name))
                .collect();
            let unknown = format!("{}.{}", from.schema, from.name);
            return Err(self.hint_error(
                self.table_hint_origins.get(to),
                format!(
                    "table {to} says renamed_from = {from}, but the schema before this change \
                     has no table {from}: nothing would be renamed, and the table would be \
                     created empty"
                ),
                did_you_mean(&unknown, &dropped, "tables the change drops"),
            ));
        }
        for (table, renames) in &self.renamed_columns {
            let before = old.tables.get(table).or_else(|| {
                self.renamed_tables
                    .get(table)
                    .and_then(|from| old.tables.get(from))
            });
            let Some(before) = before else { continue };
            let after = new.tables.get(table);
            for (to, from) in renames {
                if before.column(from).is_some() || before.column(to).is_some() {
                    continue;
                }
                let dropped: Vec<String> = before
                    .columns
                    .iter()
                    .filter(|c| after.is_none_or(|t| t.column(&c.name).is_none()))
                    .map(|c| c.name.to_string())
                    .collect();
                return Err(self.hint_error(
                    self.column_hint_origins.get(&(table.clone(), to.clone())),
                    format!(
                        "column {table}.{} says renamed_from = {}, but {table} has no column {} \
                         before this change: nothing would be renamed, and the column would \
                         be created empty",
                        crate::sql::ident(to),
                        crate::sql::literal(from),
                        crate::sql::ident(from)
                    ),
                    did_you_mean(from, &dropped, "columns the change drops"),
                ));
            }
        }
        Ok(())
    }

    fn hint_error(&self, at: Option<&Origin>, message: String, hint: String) -> crate::Error {
        match at {
            Some(origin) => origin.error(message, Some(hint)),
            None => crate::Error::Plan(format!("{message}\n  hint: {hint}")),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.renamed_tables.is_empty()
            && self.renamed_columns.is_empty()
            && self.backfills.is_empty()
            && self.usings.is_empty()
            && self.downgrade_usings.is_empty()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Model {
    pub schemas: Vec<SchemaDef>,
    pub extensions: Vec<ExtensionDef>,
    pub enums: Vec<EnumDef>,
    pub domains: Vec<DomainDef>,
    pub composites: Vec<CompositeDef>,
    pub sequences: Vec<SequenceDef>,
    pub functions: Vec<FunctionDef>,
    pub tables: Vec<TableDef>,
    pub views: Vec<ViewDef>,
    /// Range types and statistics objects, by their statements.
    pub statements: Vec<StatementDef>,
    /// (table, name) of constraints and indexes named by a convention (SeaORM's
    /// `fk-<table>-<columns>`, ...) rather than by the user: matched by definition.
    pub conventional_names: std::collections::BTreeSet<(QualifiedName, String)>,
    /// Grants and owners the model states (TOML), set on the schema after loading.
    pub privileges: Vec<super::model_privileges::PrivilegeDef>,
    /// Default privileges the model states (TOML).
    pub default_privileges: Vec<super::model_privileges::DefaultPrivilegeDef>,
}

impl Model {
    /// The rename and backfill hints of every table and column, and the names the model
    /// gives its constraints and indexes.
    pub fn hints(&self) -> Hints {
        let mut h = Hints {
            match_by_definition: true,
            ..Hints::default()
        };
        for t in &self.tables {
            let named = t
                .constraints
                .iter()
                .filter_map(|c| c.name.as_ref())
                .chain(t.indexes.iter().filter_map(|i| i.name.as_ref()));
            for name in named {
                let key = (t.name.clone(), name.clone());
                if !self.conventional_names.contains(&key) {
                    h.explicit_names.insert(key);
                }
            }
            if let Some(old) = &t.renamed_from {
                h.renamed_tables.insert(t.name.clone(), old.clone());
                h.table_hint_origins
                    .insert(t.name.clone(), t.origin.clone());
            }
            for c in &t.columns {
                if let Some(old) = &c.renamed_from {
                    h.renamed_columns
                        .entry(t.name.clone())
                        .or_default()
                        .insert(c.name.clone(), old.clone());
                    h.column_hint_origins
                        .insert((t.name.clone(), c.name.clone()), c.origin.clone());
                }
                if let Some(b) = &c.backfill {
                    h.backfills
                        .entry(t.name.clone())
                        .or_default()
                        .insert(c.name.clone(), b.clone());
                }
                let (up, down) = c
                    .using
                    .as_deref()
                    .map_or((None, None), |u| (u.up.as_ref(), u.down.as_ref()));
                for (hint, map) in [(up, &mut h.usings), (down, &mut h.downgrade_usings)] {
                    if let Some(u) = hint {
                        map.entry(t.name.clone())
                            .or_default()
                            .insert(c.name.clone(), u.clone());
                    }
                }
            }
        }
        h
    }
}

#[derive(Clone, Debug)]
pub struct SchemaDef {
    pub name: String,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct ExtensionDef {
    pub name: String,
    pub schema: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct EnumDef {
    pub name: QualifiedName,
    pub values: Vec<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct DomainDef {
    pub name: QualifiedName,
    /// SQL type text, written into the DDL as is.
    pub base_type: String,
    pub not_null: bool,
    pub default: Option<String>,
    pub collation: Option<String>,
    /// (name, `CHECK (...)` or bare expression).
    pub checks: Vec<(Option<String>, String)>,
    pub check_comments: Vec<(String, String)>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct CompositeDef {
    pub name: QualifiedName,
    pub attributes: Vec<AttributeDef>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct AttributeDef {
    pub name: String,
    pub data_type: String,
    pub collation: Option<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug)]
pub struct SequenceDef {
    pub name: QualifiedName,
    pub data_type: Option<String>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: bool,
    pub owned_by: Option<(QualifiedName, String)>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// An object the model gives as its complete statement: a range type (made before the
/// tables) or a statistics object (after them).
#[derive(Clone, Debug)]
pub struct StatementDef {
    pub name: QualifiedName,
    pub kind: StatementKind,
    pub definition: String,
    /// `ALTER STATISTICS ... SET STATISTICS n`.
    pub target: Option<i32>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementKind {
    Range,
    Statistics,
}

#[derive(Clone, Debug)]
pub struct FunctionDef {
    /// A complete `CREATE [OR REPLACE] FUNCTION|PROCEDURE` statement.
    pub definition: String,
    /// `COMMENT ON FUNCTION <signature>`: `schema.name(argument types)`.
    pub comment: Option<(String, String)>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct TableDef {
    pub name: QualifiedName,
    pub unlogged: bool,
    pub partition_key: Option<String>,
    pub partition_of: Option<(QualifiedName, String)>,
    pub options: Vec<String>,
    pub columns: Vec<ColumnDef>,
    pub constraints: Vec<ConstraintDef>,
    pub indexes: Vec<IndexDef>,
    pub triggers: Vec<TriggerDef>,
    pub policies: Vec<PolicyDef>,
    pub row_security: bool,
    pub force_row_security: bool,
    pub replica_identity: crate::schema::ReplicaIdentity,
    pub comment: Option<String>,
    pub renamed_from: Option<QualifiedName>,
    /// Its place in a Citus cluster, and where the model says so.
    pub citus: Option<CitusDef>,
    /// Grants, owner and statistics objects a Rust model states on the table's struct
    /// (TOML states them in sections of their own); boxed, as few tables have any.
    pub extras: Option<Box<TableExtras>>,
    pub origin: Origin,
}

/// What a Rust model states on a table struct and its fields besides the table itself,
/// turned into the model's privilege list and statements once every name is known.
#[derive(Clone, Debug, Default)]
pub struct TableExtras {
    pub owner: Option<(String, Origin)>,
    /// The table's whole ACL, grantee -> privileges as written (as TOML's `grants`).
    pub grants: Option<(BTreeMap<String, Vec<String>>, Origin)>,
    /// Column name -> its ACL.
    pub column_grants: Vec<(String, BTreeMap<String, Vec<String>>, Origin)>,
    /// Column name -> its identity sequence's name (`identity_sequence = "..."`).
    pub identity_sequences: Vec<(String, String, Origin)>,
    /// Column name -> the ACL of its identity sequence (`identity_grant(...)`).
    pub identity_grants: Vec<(String, BTreeMap<String, Vec<String>>, Origin)>,
    pub statistics: Vec<StatisticsDecl>,
}

/// `statistics(name = ..., kinds = ..., columns = ..., expr = ...)` on a table struct.
#[derive(Clone, Debug)]
pub struct StatisticsDecl {
    /// As written: `name` or `schema.name`.
    pub name: String,
    pub kinds: Vec<String>,
    pub columns: Vec<String>,
    pub expressions: Vec<String>,
    pub target: Option<i32>,
    pub comment: Option<String>,
    pub origin: Origin,
}

/// A table's Citus placement as a model states it (`distributed_by`, `reference`, ...).
#[derive(Clone, Debug)]
pub struct CitusDef {
    pub citus: crate::schema::Citus,
    pub origin: Origin,
}

impl TableDef {
    pub fn new(name: QualifiedName, origin: Origin) -> TableDef {
        TableDef {
            name,
            unlogged: false,
            partition_key: None,
            partition_of: None,
            options: vec![],
            columns: vec![],
            constraints: vec![],
            indexes: vec![],
            triggers: vec![],
            policies: vec![],
            row_security: false,
            force_row_security: false,
            replica_identity: Default::default(),
            citus: None,
            comment: None,
            renamed_from: None,
            extras: None,
            origin,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ColumnDef {
    pub name: String,
    /// SQL type text (`numeric(10,2)`, `public.order_status`, `serial`).
    pub data_type: String,
    pub not_null: bool,
    /// SQL expression.
    pub default: Option<String>,
    /// Boxed: few columns have one.
    pub identity: Option<Box<IdentityDef>>,
    pub generated: Option<String>,
    pub collation: Option<String>,
    pub storage: Option<String>,
    pub statistics: Option<i32>,
    pub compression: Option<String>,
    pub comment: Option<String>,
    pub renamed_from: Option<String>,
    pub backfill: Option<String>,
    /// How the values convert when the type changes (`USING`), and back; boxed, as
    /// few columns have it.
    pub using: Option<Box<UsingHint>>,
    pub origin: Origin,
}

/// A column's `using` / `downgrade_using` hints.
#[derive(Clone, Debug, Default)]
pub struct UsingHint {
    pub up: Option<String>,
    pub down: Option<String>,
}

impl ColumnDef {
    pub fn new(name: String, data_type: String, origin: Origin) -> ColumnDef {
        ColumnDef {
            name,
            data_type,
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            storage: None,
            statistics: None,
            compression: None,
            comment: None,
            renamed_from: None,
            backfill: None,
            using: None,
            origin,
        }
    }
}

/// The name `identity_sequence = "..."` gives a column's identity sequence: bare or
/// qualified with the table's own schema (PostgreSQL keeps the sequence there).
pub fn identity_sequence_name(
    table: &QualifiedName,
    text: &str,
    key: &str,
    origin: &Origin,
) -> crate::Result<QualifiedName> {
    match QualifiedName::parse(text, &table.schema) {
        Some(name) if name.schema == table.schema => Ok(name),
        Some(name) => Err(origin.error(
            format!(
                "{key} = {text:?} puts the sequence in schema {}, but an identity sequence is in its table's schema ({})",
                name.schema, table.schema
            ),
            Some(format!("write {key} = \"{}\"", name.name)),
        )),
        None => Err(origin.error(
            format!("{key} = {text:?} is not a sequence's name"),
            Some(format!("write {key} = \"name\"")),
        )),
    }
}

#[derive(Clone, Debug)]
pub struct IdentityDef {
    pub always: bool,
    pub sequence: Option<SequenceOptions>,
    /// `SEQUENCE NAME`, when given.
    pub sequence_name: Option<QualifiedName>,
}

#[derive(Clone, Debug)]
pub struct ConstraintDef {
    /// None lets PostgreSQL choose (`t_pkey`, `t_a_key`, `t_a_fkey`, `t_a_check`).
    pub name: Option<String>,
    pub body: ConstraintBody,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub enum ConstraintBody {
    PrimaryKey(Vec<String>),
    Unique(Vec<String>),
    /// A boolean expression (with or without `CHECK (...)` around it).
    Check(String),
    ForeignKey(ForeignKeyDef),
    /// Constraint text as `pg_get_constraintdef` prints it.
    Definition(String),
}

impl ConstraintBody {
    pub fn is_foreign_key(&self) -> bool {
        match self {
            ConstraintBody::ForeignKey(_) => true,
            ConstraintBody::Definition(d) => d
                .trim_start()
                .to_ascii_uppercase()
                .starts_with("FOREIGN KEY"),
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct ForeignKeyDef {
    pub columns: Vec<String>,
    pub references: QualifiedName,
    pub referenced_columns: Vec<String>,
    /// `CASCADE`, `SET NULL`, `SET DEFAULT`, `RESTRICT`, `NO ACTION`.
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

#[derive(Clone, Debug)]
pub struct IndexDef {
    pub name: Option<String>,
    pub body: IndexBody,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub enum IndexBody {
    Keys {
        unique: bool,
        method: Option<String>,
        /// Plain column names, quoted when rendered.
        columns: Vec<String>,
        /// Key elements as `CREATE INDEX` takes them, written as is: `lower(email)`,
        /// `(a + b)`, `created_at DESC NULLS LAST`, `name text_pattern_ops`.
        expressions: Vec<String>,
        include: Vec<String>,
        predicate: Option<String>,
    },
    /// A complete `CREATE INDEX` statement.
    Definition(String),
}

#[derive(Clone, Debug)]
pub struct TriggerDef {
    pub name: String,
    pub definition: String,
    pub firing: Option<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct PolicyDef {
    pub name: String,
    pub permissive: bool,
    pub command: String,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct ViewDef {
    pub name: QualifiedName,
    pub materialized: bool,
    pub query: String,
    pub options: Vec<String>,
    pub indexes: Vec<IndexDef>,
    pub triggers: Vec<TriggerDef>,
    pub column_comments: Vec<(String, String)>,
    pub comment: Option<String>,
    pub origin: Origin,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_inside_a_character_do_not_panic() {
        let path = std::path::Path::new("m.toml");
        let o = Origin::at_offset(path, "a\néé", 4);
        assert_eq!((o.line, o.column), (2, 2));
        assert_eq!(Origin::at_offset(path, "é", 1).column, 1);
        assert_eq!(strip_bom("\u{feff}x"), "x");
    }
}
