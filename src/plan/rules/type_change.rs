//! Column type changes. Some are binary coercible and change only the catalog
//! (varchar(n) to a longer varchar or to text, numeric to a wider precision with the same
//! scale, timestamp to timestamptz when the session time zone is UTC); the rest rewrite
//! the table and its indexes under an ACCESS EXCLUSIVE lock. (Manual: ALTER TABLE,
//! "Notes": "changing the type of an existing column will normally cause the entire table
//! and its indexes to be rewritten".)

use super::table_label;
use crate::plan::{Hazard, HazardCode};
use crate::schema::QualifiedName;
use crate::sql::ident;

/// Whether changing `from` to `to` leaves the stored data as it is.
pub fn is_binary_coercible(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    let varchar_len = |t: &str| -> Option<Option<u32>> {
        if t == "text" || t == "character varying" {
            return Some(None);
        }
        t.strip_prefix("character varying(")?
            .strip_suffix(')')?
            .parse()
            .ok()
            .map(Some)
    };
    if let (Some(f), Some(t)) = (varchar_len(from), varchar_len(to)) {
        return match (f, t) {
            (_, None) => true,
            (Some(f), Some(t)) => t >= f,
            (None, Some(_)) => false,
        };
    }
    let numeric = |t: &str| -> Option<Option<(u32, u32)>> {
        if t == "numeric" {
            return Some(None);
        }
        let inner = t.strip_prefix("numeric(")?.strip_suffix(')')?;
        let (p, s) = inner.split_once(',')?;
        Some(Some((p.trim().parse().ok()?, s.trim().parse().ok()?)))
    };
    if let (Some(f), Some(t)) = (numeric(from), numeric(to)) {
        return match (f, t) {
            (_, None) => true,
            (Some((fp, fs)), Some((tp, ts))) => ts == fs && tp >= fp,
            (None, Some(_)) => false,
        };
    }
    matches!(
        (from, to),
        ("cidr", "inet") | ("bit varying", "bit varying")
    )
}

pub fn hazards(table: &QualifiedName, column: &str, from: &str, to: &str) -> Vec<Hazard> {
    if is_binary_coercible(from, to) {
        return vec![];
    }
    let mut hazards = vec![Hazard::new(
        HazardCode::TableRewrite,
        format!(
            "changing {}.{} from {from} to {to} rewrites the table and its indexes under an \
             ACCESS EXCLUSIVE lock: every read and write of the table waits until it is done",
            table_label(table),
            ident(column)
        ),
        "for a large table: add a new column, backfill it in batches, switch the \
         application, then drop the old column (expand-contract)",
    )];
    if from.starts_with("timestamp without") && to.starts_with("timestamp with ") {
        hazards.push(Hazard::new(
            HazardCode::TableRewrite,
            "existing values are read in the session's TimeZone (and the rewrite is skipped \
             only when that is UTC)",
            "SET TimeZone = 'UTC' (or the zone the values were written in) before running",
        ));
    }
    hazards
}

#[cfg(test)]
mod tests {
    use super::is_binary_coercible as safe;

    #[test]
    fn binary_coercible_changes() {
        assert!(safe("character varying(50)", "character varying(200)"));
        assert!(safe("character varying(50)", "text"));
        assert!(safe("numeric(10,2)", "numeric(12,2)"));
        assert!(safe("numeric(10,2)", "numeric"));
        assert!(!safe("character varying(200)", "character varying(50)"));
        assert!(!safe("text", "character varying(10)"));
        assert!(!safe("integer", "bigint"));
        assert!(!safe("numeric(10,2)", "numeric(12,4)"));
    }
}
