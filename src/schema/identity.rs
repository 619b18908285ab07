//! The sequence behind an identity column: PostgreSQL names it `<table>_<column>_seq` in
//! the table's schema unless `SEQUENCE NAME` says otherwise (or that name is taken), and
//! it carries an ACL of its own (`GRANT USAGE ON SEQUENCE t_id_seq`). The IR holds it as
//! part of its column: [`Identity::sequence_name`] only when the name is not the default.

use super::{Column, Identity, Name, QualifiedName, Schema, Table};

/// The name PostgreSQL gives the sequence of identity column `column` of `table`
/// (`ChooseRelationName(table, column, "seq", ...)` without a clash): both parts cut,
/// the longer first, so that the whole fits in 63 bytes (`makeObjectName`), at a
/// character boundary.
pub fn default_sequence_name(table: &QualifiedName, column: &str) -> QualifiedName {
    const LABEL: &str = "seq";
    let available = crate::sql::MAX_NAME_BYTES - LABEL.len() - 2;
    let (mut a, mut b) = (table.name.len(), column.len());
    while a + b > available {
        if a > b {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    let name = format!("{}_{}_{LABEL}", clip(&table.name, a), clip(column, b));
    QualifiedName::new(table.schema.clone(), name)
}

impl Identity {
    /// The sequence's name: the one given, or PostgreSQL's default for the column.
    pub fn sequence_of(&self, table: &QualifiedName, column: &str) -> QualifiedName {
        self.sequence_name
            .clone()
            .unwrap_or_else(|| default_sequence_name(table, column))
    }
}

impl Column {
    /// The name of this identity column's sequence, when it is one.
    pub fn identity_sequence(&self, table: &QualifiedName) -> Option<QualifiedName> {
        Some(self.identity.as_ref()?.sequence_of(table, &self.name))
    }
}

/// The table and identity column whose sequence is `sequence`, if one is. A default
/// name is looked up by its possible splits into table and column; only a name given
/// by `SEQUENCE NAME` (or cut to fit) needs a look at every identity column.
pub fn identity_owner<'a>(
    schema: &'a Schema,
    sequence: &QualifiedName,
) -> Option<(&'a Table, &'a Column)> {
    let owns =
        |t: &'a Table, c: &'a Column| c.identity_sequence(&t.name).as_ref() == Some(sequence);
    if let Some(stem) = sequence.name.strip_suffix("_seq") {
        for (i, _) in stem.match_indices('_') {
            let table = QualifiedName::new(sequence.schema.clone(), &stem[..i]);
            let found = schema.tables.get(&table).and_then(|t| {
                let c = t.column(&stem[i + 1..])?;
                owns(t, c).then_some((t, c))
            });
            if found.is_some() {
                return found;
            }
        }
    }
    // A name given by hand, or a default cut to 63 bytes.
    let unusual = |t: &Table, c: &Column| {
        c.identity
            .as_ref()
            .is_some_and(|i| i.sequence_name.is_some())
            || (c.identity.is_some() && t.name.name.len() + c.name.len() + 5 > 63)
    };
    schema.tables.values().find_map(|t| {
        t.columns
            .iter()
            .find(|c| unusual(t, c) && owns(t, c))
            .map(|c| (t, c))
    })
}

/// Every identity sequence of `schema`: its name, table and column.
pub fn identity_sequences(schema: &Schema) -> Vec<(QualifiedName, &QualifiedName, &Name)> {
    let mut out = vec![];
    for t in schema.tables.values() {
        for c in &t.columns {
            if let Some(s) = c.identity_sequence(&t.name) {
                out.push((s, &t.name, &c.name));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_are_cut_as_postgresql_cuts_them() {
        let t = QualifiedName::new("public", "orders");
        assert_eq!(default_sequence_name(&t, "id").name, "orders_id_seq");
        // 63 bytes at most: the longer part loses bytes first.
        let long = QualifiedName::new("public", "a".repeat(70));
        let name = default_sequence_name(&long, "id").name;
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_id_seq", "a".repeat(56)));
        // Both cut, never inside a character (as PostgreSQL 15 named these).
        let long = QualifiedName::new("public", "a".repeat(63));
        let name = default_sequence_name(&long, &"b".repeat(40)).name;
        assert_eq!(name, format!("{}_{}_seq", "a".repeat(29), "b".repeat(29)));
        let wide = QualifiedName::new("public", "é".repeat(31));
        let name = default_sequence_name(&wide, &"ü".repeat(20)).name;
        assert_eq!(name, format!("{}_{}_seq", "é".repeat(14), "ü".repeat(14)));
    }
}
