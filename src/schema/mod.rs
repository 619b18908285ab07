//! The one representation of a schema that every stage shares.
//!
//! Plain, serializable data keyed by schema-qualified names in `BTreeMap`s, so iteration
//! (and therefore every output of pgshift) is deterministic. Expressions and definitions are
//! kept in the canonical text PostgreSQL itself prints (`pg_get_expr`, `format_type`,
//! `pg_get_constraintdef`, `pg_get_indexdef`, ...) under `search_path = ''`, so two schemas
//! that PostgreSQL stores identically compare equal however they were written.

mod citus;
mod deps;
mod identity;
mod kinds;
mod name;
mod normalize;
pub mod privileges;
mod rename;

pub use citus::{normalize_colocation, Citus};
pub use deps::{Dependencies, ObjectId};
pub use identity::{default_sequence_name, identity_owner, identity_sequences};
pub use kinds::{RangeType, Statistics};
pub use name::{FunctionKey, Name, QualifiedName};
pub use privileges::Privileges;
pub use rename::requalify;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole database schema: every object pgshift models.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub schemas: BTreeMap<Name, Namespace>,
    pub extensions: BTreeMap<Name, Extension>,
    pub enums: BTreeMap<QualifiedName, EnumType>,
    pub domains: BTreeMap<QualifiedName, Domain>,
    pub composites: BTreeMap<QualifiedName, CompositeType>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ranges: BTreeMap<QualifiedName, RangeType>,
    pub sequences: BTreeMap<QualifiedName, Sequence>,
    pub functions: BTreeMap<FunctionKey, Function>,
    pub tables: BTreeMap<QualifiedName, Table>,
    pub views: BTreeMap<QualifiedName, View>,
    /// Grants, default privileges and owners (see `privileges`).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
    /// Extended statistics objects (`CREATE STATISTICS`), by their own name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub statistics: BTreeMap<QualifiedName, Statistics>,
    /// Which object needs which, read from `pg_depend`. Used to order statements; not
    /// compared (it follows from the definitions above).
    #[serde(skip)]
    pub dependencies: Dependencies,
    /// The column names of each partitioned table's index (`pg_attribute` of the index),
    /// which name the indexes PostgreSQL makes on partitions. Derived: not compared.
    #[serde(default, skip_serializing_if = "IndexColumnNames::is_empty")]
    pub index_column_names: IndexColumnNames,
    /// Objects present in the database that the IR does not model yet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<Unsupported>,
}

/// `CREATE SCHEMA`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    pub name: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `CREATE EXTENSION`. The installed version is not compared: upgrading an extension is
/// `ALTER EXTENSION ... UPDATE`, a deployment concern rather than a schema change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: Name,
    pub schema: Name,
    /// `relocatable = false` in its control file: `ALTER EXTENSION ... SET SCHEMA` is
    /// refused, it moves only by being dropped and created again. A property of the
    /// installed extension, not compared.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed_schema: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub name: QualifiedName,
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    pub name: QualifiedName,
    /// `format_type` of the base type, e.g. `integer`, `character varying(20)`.
    pub base_type: String,
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Named CHECK constraints, keyed by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<Name, String>,
    /// Comments on those constraints, by constraint name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub check_comments: BTreeMap<Name, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeType {
    pub name: QualifiedName,
    pub attributes: Vec<CompositeAttribute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeAttribute {
    pub name: Name,
    pub data_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Options shared by `CREATE SEQUENCE` and identity columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: QualifiedName,
    #[serde(flatten)]
    pub options: SequenceOptions,
    /// `OWNED BY table.column`: dropped together with that column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(QualifiedName, Name)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    Function,
    Procedure,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub key: FunctionKey,
    pub kind: RoutineKind,
    /// `pg_get_function_result`: a change of result type needs DROP + CREATE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// `pg_get_functiondef`: a complete `CREATE OR REPLACE` statement.
    pub definition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: QualifiedName,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unlogged: bool,
    /// `pg_get_partkeydef`, e.g. `RANGE (created_at)`, for a partitioned table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// Storage parameters (`WITH (fillfactor=70)`), as `name=value`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Set for a partition: its parent and bound. A partition's columns come from its
    /// parent and are not listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// In the order of the table's definition; compared by name (PostgreSQL cannot
    /// reorder columns, so position is never a change).
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constraints: BTreeMap<Name, Constraint>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<Name, Index>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<Name, Trigger>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<Name, Policy>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub row_security: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force_row_security: bool,
    #[serde(default, skip_serializing_if = "ReplicaIdentity::is_default")]
    pub replica_identity: ReplicaIdentity,
    /// Its place in a Citus cluster, when Citus manages it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citus: Option<Citus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// `REPLICA IDENTITY`: which old values an UPDATE or DELETE writes to the WAL for logical
/// replication (`pg_class.relreplident`). `Index` names a unique index of the table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaIdentity {
    /// The primary key's columns, if it has one.
    #[default]
    Default,
    Full,
    Nothing,
    Index(Name),
}

impl ReplicaIdentity {
    pub fn is_default(&self) -> bool {
        *self == ReplicaIdentity::Default
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    /// `pg_get_expr(relpartbound)`, e.g. `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`.
    pub bound: String,
    /// Columns NOT NULL on this partition though not on its parent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_null: Vec<Name>,
}

impl PartitionOf {
    /// The same parent and bound (what `ATTACH PARTITION` says).
    pub fn same_place(&self, other: &PartitionOf) -> bool {
        self.parent == other.parent && self.bound == other.bound
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: Name,
    /// `format_type`, e.g. `character varying(255)`, `numeric(10,2)`, `integer[]`,
    /// `public.mood` (user types are schema-qualified).
    pub data_type: Name,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// Expression of a `GENERATED ALWAYS AS (...) STORED` column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// Set only when it differs from the type's default collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `SET STORAGE`, when not the type's default: `plain`, `external`, `main`, `extended`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// `SET STATISTICS`, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<i32>,
    /// `SET COMPRESSION`, when set: `pglz` or `lz4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// The default calls a VOLATILE user or extension function (read from the catalog;
    /// built-in volatile functions are recognized by name by the planner).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub volatile_default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `GENERATED ALWAYS` when true, `GENERATED BY DEFAULT` otherwise.
    pub always: bool,
    pub sequence: SequenceOptions,
    /// The sequence's name when it is not PostgreSQL's default for the column
    /// (`SEQUENCE NAME`, a table renamed since, a clash): see `identity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_name: Option<QualifiedName>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Check,
    ForeignKey,
    Exclusion,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    pub name: Name,
    pub kind: ConstraintKind,
    /// `pg_get_constraintdef`, e.g. `FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE`.
    pub definition: String,
    /// Columns of this table that the constraint covers (in key order).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Name>,
    /// Table referenced by a foreign key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<QualifiedName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An index that does not back a constraint (those belong to the constraint).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: Name,
    /// `pg_get_indexdef`: a complete `CREATE [UNIQUE] INDEX` statement.
    pub definition: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// False for an index left INVALID by a failed `CREATE INDEX CONCURRENTLY`.
    pub valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: Name,
    /// `pg_get_triggerdef`: a complete `CREATE TRIGGER` statement.
    pub definition: String,
    /// How it fires when not the default (`ENABLE`): `disabled`, `replica` or `always`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub name: Name,
    pub permissive: bool,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// Role names; `public` for PUBLIC.
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: QualifiedName,
    pub materialized: bool,
    /// `pg_get_viewdef`: the query.
    pub definition: String,
    /// Output columns as (name, type), in order: `CREATE OR REPLACE VIEW` may only add
    /// columns at the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<(String, String)>,
    /// `WITH (...)` options such as `security_barrier=true`, `check_option=local`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Indexes of a materialized view.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<Name, Index>,
    /// `INSTEAD OF` (and other) triggers on the view.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<Name, Trigger>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_comments: BTreeMap<Name, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// By (table, index name): the index's column names, for partitioned tables' indexes.
/// Always equal: it follows from the definitions, as `dependencies` does.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct IndexColumnNames(pub BTreeMap<QualifiedName, BTreeMap<Name, Vec<String>>>);

impl IndexColumnNames {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, table: &QualifiedName, index: &str) -> Option<&[String]> {
        self.0.get(table)?.get(index).map(Vec::as_slice)
    }
}

impl PartialEq for IndexColumnNames {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for IndexColumnNames {}

/// A database object of a kind the IR does not model. Reported on every diff so that
/// "in sync" never silently means "in sync except for what we skipped".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unsupported {
    /// e.g. `aggregate`, `foreign table`, `grant`.
    pub kind: String,
    /// The object as PostgreSQL identifies it.
    pub identity: String,
}

impl Schema {
    /// A copy for comparing two schemas as data: columns in name order (position is not
    /// part of a schema's meaning to pgshift) and no dependency graph.
    pub fn comparable(&self) -> Schema {
        let mut s = self.clone();
        s.dependencies = Dependencies::default();
        // What the privileges were read against (the server's roles, the database owner,
        // whether a model declared them), not part of the schema.
        s.privileges.declared = false;
        s.privileges.database_owner = None;
        s.privileges.roles = None;
        for t in s.tables.values_mut() {
            t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
        s
    }
}
