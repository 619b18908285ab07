//! Zero-downtime rules: each file rewrites the steps of one kind of change on an
//! existing table into the form that does not block a live database, or names the hazard
//! where no such form exists. New tables are empty and unused, so their statements stay
//! plain and inside the transaction.

pub mod add_column;
pub mod add_constraint;
pub mod backfill;
pub mod citus;
pub mod create_index;
pub mod drop_object;
pub mod identity_handover;
pub mod move_extension;
pub mod partitioned_index;
pub mod recreate_range;
pub mod rename_column;
pub mod rename_table;
pub mod set_not_null;
pub mod type_change;

use crate::schema::QualifiedName;
use crate::sql::qualified;

/// `pg_get_indexdef` text with `CONCURRENTLY` after `CREATE [UNIQUE] INDEX`.
pub(crate) fn concurrently(definition: &str) -> String {
    for prefix in ["CREATE UNIQUE INDEX ", "CREATE INDEX "] {
        if let Some(rest) = definition.strip_prefix(prefix) {
            return format!("{prefix}CONCURRENTLY {rest}");
        }
    }
    definition.to_string()
}

/// The name of a helper object pgshift makes for a while, kept within PostgreSQL's
/// 63-byte identifier limit.
pub(crate) fn helper_name(base: &str, suffix: &str) -> String {
    let mut base = base.to_string();
    while base.len() + suffix.len() > 63 {
        base.pop();
    }
    format!("{base}{suffix}")
}

pub(crate) fn table_label(t: &QualifiedName) -> String {
    qualified(t)
}

#[cfg(test)]
mod tests {
    #[test]
    fn concurrently_goes_after_index() {
        assert_eq!(
            super::concurrently("CREATE UNIQUE INDEX a ON public.t USING btree (x)"),
            "CREATE UNIQUE INDEX CONCURRENTLY a ON public.t USING btree (x)"
        );
        assert_eq!(
            super::concurrently("CREATE INDEX a ON public.t USING btree (x)"),
            "CREATE INDEX CONCURRENTLY a ON public.t USING btree (x)"
        );
    }

    #[test]
    fn helper_names_fit_in_63_bytes() {
        let long = "x".repeat(70);
        assert_eq!(super::helper_name(&long, "_pgshift_new").len(), 63);
    }

    #[test]
    fn helper_names_cut_multibyte_names_on_a_character_boundary() {
        // 2 bytes a character: 51 bytes left for the name is 25 whole characters.
        let name = super::helper_name(&"ё".repeat(40), "_pgshift_new");
        assert_eq!(name, format!("{}_pgshift_new", "ё".repeat(25)));
        assert!(name.len() <= 63);
    }
}
