//! Hazards: what a step may do to a live database, typed, with a code a tool can match,
//! a message naming the lock, the table and what it blocks, and what to do instead.
//! Each code has a page under docs/hazards/.

use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HazardCode {
    /// Data is deleted: a dropped table, column, type or enum value.
    DataLoss,
    /// The whole table is rewritten under an ACCESS EXCLUSIVE lock.
    TableRewrite,
    /// An ACCESS EXCLUSIVE lock is held while the table is scanned or changed.
    AccessExclusiveLock,
    /// An index is built: concurrently it blocks no writes but takes long and may fail.
    IndexBuild,
    /// Existing rows are scanned to validate a constraint (writes are not blocked).
    ValidationScan,
    /// The downgrade of this step cannot bring the data back.
    IrreversibleDowngrade,
    /// Rows must be filled in by hand before the migration can finish.
    BackfillRequired,
    /// Citus copies every row of the table to other nodes (distributing, undistributing,
    /// changing the distribution column or shard count); writes wait for the copy.
    DataMove,
}

impl HazardCode {
    pub fn as_str(self) -> &'static str {
        match self {
            HazardCode::DataLoss => "DATA_LOSS",
            HazardCode::TableRewrite => "TABLE_REWRITE",
            HazardCode::AccessExclusiveLock => "ACCESS_EXCLUSIVE_LOCK",
            HazardCode::IndexBuild => "INDEX_BUILD",
            HazardCode::ValidationScan => "VALIDATION_SCAN",
            HazardCode::IrreversibleDowngrade => "IRREVERSIBLE_DOWNGRADE",
            HazardCode::BackfillRequired => "BACKFILL_REQUIRED",
            HazardCode::DataMove => "DATA_MOVE",
        }
    }

    /// The documentation page of this code, relative to the repository root.
    pub fn doc(self) -> String {
        format!("docs/hazards/{}.md", self.as_str())
    }
}

impl fmt::Display for HazardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hazard {
    pub code: HazardCode,
    /// What happens: which lock on which table, and what it blocks.
    pub message: String,
    /// What to do about it.
    pub help: String,
}

impl Hazard {
    pub fn new(code: HazardCode, message: impl Into<String>, help: impl Into<String>) -> Hazard {
        Hazard {
            code,
            message: message.into(),
            help: help.into(),
        }
    }
}
