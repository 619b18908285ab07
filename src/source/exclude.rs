//! Objects left out of both sides of every comparison: the version tables of migration
//! tools (pgshift's own and those of the common tools, always), and whatever the user
//! names with `--exclude PATTERN` or `exclude = [...]` in pgshift.toml.
//!
//! A pattern is a glob matched against the unquoted names PostgreSQL stores: `schema.name`
//! for tables, views, sequences, types and functions (without their arguments), the bare
//! name for schemas. `*` matches any run of characters (dots included), `?` exactly one;
//! everything else matches itself, case-sensitively. A table goes with its columns,
//! constraints, indexes, triggers and policies, and with the sequences it owns; a schema
//! with everything in it.
//!
//! An excluded object is invisible: pgshift never creates, changes or drops it, and never
//! recreates a kept object because of it. A kept object that depends on an excluded one
//! (a view reading it, a foreign key to it) is planned as if the excluded one were there
//! unchanged, which it is, since pgshift leaves it alone; a model that lacks it therefore
//! cannot create such an object (PostgreSQL rejects the model first).

use crate::schema::{QualifiedName, Schema};

/// The version tables of pgshift and of the migration tools a project may also use, in
/// any schema. Their indexes go with them; none of them owns a sequence.
pub const TOOL_TABLES: &[&str] = &[
    // pgshift's default `version_table` (a configured one is added by the project).
    "*.pgshift_migrations",
    // sqlx-cli
    "*._sqlx_migrations",
    // diesel_cli
    "*.__diesel_schema_migrations",
    // refinery
    "*.refinery_schema_history",
    // sea-orm-migration
    "*.seaql_migrations",
    // Alembic
    "*.alembic_version",
    // Flyway (its index flyway_schema_history_s_idx goes with the table)
    "*.flyway_schema_history",
    // golang-migrate (also Rails' table of the same name)
    "*.schema_migrations",
];

/// A set of glob patterns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exclude {
    patterns: Vec<String>,
}

impl Exclude {
    /// The tools' version tables and `extra`.
    pub fn with_tools(extra: impl IntoIterator<Item = String>) -> Exclude {
        let mut patterns: Vec<String> = TOOL_TABLES.iter().map(|p| p.to_string()).collect();
        patterns.extend(extra);
        Exclude { patterns }
    }

    pub fn add(&mut self, pattern: impl Into<String>) {
        self.patterns.push(pattern.into());
    }

    fn matches(&self, name: &str) -> bool {
        self.patterns.iter().any(|p| glob(p, name))
    }

    fn object(&self, name: &QualifiedName) -> bool {
        self.matches(&name.schema) || self.matches(&format!("{}.{}", name.schema, name.name))
    }

    /// Removes every excluded object from `schema`.
    pub fn apply(&self, schema: &mut Schema) {
        if self.patterns.is_empty() {
            return;
        }
        schema.schemas.retain(|name, _| !self.matches(name));
        schema.enums.retain(|name, _| !self.object(name));
        schema.domains.retain(|name, _| !self.object(name));
        schema.composites.retain(|name, _| !self.object(name));
        schema.ranges.retain(|name, _| !self.object(name));
        schema
            .statistics
            .retain(|name, s| !self.object(name) && !self.object(&s.table));
        schema.views.retain(|name, _| !self.object(name));
        schema.functions.retain(|key, _| {
            !self.object(&QualifiedName::new(key.schema.clone(), key.name.clone()))
        });
        let dropped: Vec<QualifiedName> = schema
            .tables
            .keys()
            .filter(|name| self.object(name))
            .cloned()
            .collect();
        for t in &dropped {
            schema.tables.remove(t);
        }
        schema.sequences.retain(|name, s| {
            !self.object(name)
                && !s
                    .owned_by
                    .as_ref()
                    .is_some_and(|(table, _)| dropped.contains(table))
        });
    }
}

/// Whether `pattern` (`*` any run, `?` one character) matches all of `text`.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with one backtrack point: linear in practice, never exponential.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("*._sqlx_migrations", "public._sqlx_migrations"));
        assert!(!glob("*._sqlx_migrations", "public.x_sqlx_migrations"));
        assert!(glob("audit", "audit"));
        assert!(!glob("audit", "audit.log"));
        assert!(glob("audit.*", "audit.log"));
        assert!(glob("public.tmp_?", "public.tmp_1"));
        assert!(!glob("public.tmp_?", "public.tmp_12"));
        assert!(glob("*", "anything.at.all"));
        assert!(glob("public.*_old", "public.users_old"));
        assert!(!glob("public.*_old", "public.users_older"));
        assert!(!glob("Public.x", "public.x"));
    }
}
