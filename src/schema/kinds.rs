//! Object kinds that live beside tables and types without being part of either: range
//! types (with the multirange type PostgreSQL 14+ makes for each) and extended statistics
//! objects.

use super::QualifiedName;
use serde::{Deserialize, Serialize};

/// `CREATE TYPE ... AS RANGE`. Its constructor functions, its multirange type and that
/// type's constructors are made by PostgreSQL with the range (`pg_depend` deptype `i`)
/// and go with it: they are not objects of their own here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeType {
    pub name: QualifiedName,
    /// `format_type` of the subtype: `double precision`, `public.mood`.
    pub subtype: String,
    /// `SUBTYPE_OPCLASS`, when not the subtype's default B-tree class: `schema.name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype_opclass: Option<String>,
    /// `COLLATION`, when not the subtype's default: `schema.name`, quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `CANONICAL` function (`regproc` text; only C functions can be one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// `SUBTYPE_DIFF` function (`regproc` text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype_diff: Option<String>,
    /// `MULTIRANGE_TYPE_NAME`: always written out, so the name never depends on how
    /// PostgreSQL would derive it.
    pub multirange: QualifiedName,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `CREATE STATISTICS`: extended statistics on columns and expressions of one table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    pub name: QualifiedName,
    pub table: QualifiedName,
    /// `pg_get_statisticsobjdef`: a complete `CREATE STATISTICS` statement (kinds left
    /// out when all of them apply).
    pub definition: String,
    /// `ALTER STATISTICS ... SET STATISTICS n`, when set (-1, the default, is `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
