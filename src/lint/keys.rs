//! The parts of an index the rules compare, read from the canonical text PostgreSQL
//! prints (`pg_get_indexdef`, `pg_get_constraintdef`), which quotes names as
//! `quote_ident` does and prints expressions in a fixed form.

use crate::schema::{Constraint, ConstraintKind, Index, Table};

/// An index of a table: its own, or the one behind a primary key or unique constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    /// The index (or constraint) name.
    pub name: String,
    pub unique: bool,
    /// A primary key or unique constraint, not a plain index.
    pub constraint: bool,
    /// `btree`, `hash`, `gin`, ...
    pub method: String,
    /// Key elements as printed: `email`, `lower(email)`, `created_at DESC`.
    pub elements: Vec<String>,
    /// `INCLUDE (...)` and anything else between the keys and `WHERE`.
    pub rest: String,
    pub predicate: Option<String>,
}

impl Keys {
    /// The plain column each key element is, in order; None for an expression.
    pub fn columns(&self) -> Vec<Option<String>> {
        self.elements.iter().map(|e| element_column(e)).collect()
    }

    /// Whether an equality lookup on `columns` (in any order) can use this index: they
    /// are its leading plain keys, and it has no predicate.
    pub fn leads_with(&self, columns: &[impl AsRef<str>]) -> bool {
        if self.predicate.is_some()
            || !matches!(self.method.as_str(), "btree" | "hash")
            || columns.len() > self.elements.len()
            || (self.method == "hash" && columns.len() != 1)
        {
            return false;
        }
        let leading = &self.columns()[..columns.len()];
        columns
            .iter()
            .all(|c| leading.iter().any(|l| l.as_deref() == Some(c.as_ref())))
    }

    fn from_index(index: &Index) -> Option<Keys> {
        let def = &index.definition;
        let at = def.find(" USING ")? + " USING ".len();
        let (method, after) = def[at..].split_once(' ')?;
        let (inner, rest) = group(after)?;
        let (rest, predicate) = match rest.find(" WHERE ") {
            Some(w) => (&rest[..w], Some(rest[w + " WHERE ".len()..].to_string())),
            None => (rest, None),
        };
        Some(Keys {
            name: index.name.to_string(),
            unique: index.unique,
            constraint: false,
            method: method.to_string(),
            elements: split_top_level(inner),
            rest: rest.trim().to_string(),
            predicate,
        })
    }

    fn from_constraint(c: &Constraint) -> Option<Keys> {
        if !matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique) {
            return None;
        }
        let open = c.definition.find('(')?;
        let (inner, rest) = group(&c.definition[open..])?;
        Some(Keys {
            name: c.name.to_string(),
            unique: true,
            constraint: true,
            method: "btree".into(),
            elements: split_top_level(inner),
            rest: rest.trim().to_string(),
            predicate: None,
        })
    }
}

/// Every index of `table`: primary key and unique constraints first, then its indexes.
pub fn of_table(table: &Table) -> Vec<Keys> {
    let constraints = table.constraints.values().filter_map(Keys::from_constraint);
    let indexes = table.indexes.values().filter_map(Keys::from_index);
    constraints.chain(indexes).collect()
}

/// The plain column a key element names (`email`, `"Email" DESC`, `name text_pattern_ops`),
/// or None for an expression (`lower(email)`, `((a + b))`).
pub fn element_column(element: &str) -> Option<String> {
    let e = element.trim();
    let (name, rest) = if let Some(quoted) = e.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().map(|(_, c)| *c) == Some('"') {
                    chars.next();
                    name.push('"');
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                name.push(c);
            }
        }
        (name, &quoted[end?..])
    } else {
        let end = e
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .unwrap_or(e.len());
        if end == 0 {
            return None;
        }
        (e[..end].to_string(), &e[end..])
    };
    (rest.is_empty() || rest.starts_with(' ')).then_some(name)
}

/// The characters of `text` outside quoted strings and names, each with the parenthesis
/// depth around it (a parenthesis counts as outside the group it opens or closes).
fn unquoted(text: &str) -> impl Iterator<Item = (usize, char, usize)> + '_ {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    // A doubled quote closes and reopens the quote: the same result.
    text.char_indices()
        .filter_map(move |(i, c)| match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                None
            }
            (Some(_), _) => None,
            (None, '\'' | '"') => {
                quote = Some(c);
                None
            }
            (None, '(') => {
                depth += 1;
                Some((i, c, depth - 1))
            }
            (None, ')') => {
                depth = depth.saturating_sub(1);
                Some((i, c, depth))
            }
            (None, c) => Some((i, c, depth)),
        })
}

/// The text inside the parenthesis group `text` starts with (after blanks), and what
/// follows it.
fn group(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    if !text.starts_with('(') {
        return None;
    }
    let (close, _, _) = unquoted(text).find(|&(_, c, depth)| c == ')' && depth == 0)?;
    Some((&text[1..close], &text[close + 1..]))
}

/// `a, lower(b), (c + d)` -> its elements; commas inside parentheses or quotes do not
/// split.
fn split_top_level(text: &str) -> Vec<String> {
    let mut out = vec![];
    let mut start = 0;
    for (i, _, _) in unquoted(text).filter(|&(_, c, depth)| c == ',' && depth == 0) {
        out.push(text[start..i].trim().to_string());
        start = i + 1;
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(def: &str) -> Keys {
        Keys::from_index(&Index {
            name: "i".into(),
            definition: def.into(),
            unique: false,
            valid: true,
            comment: None,
        })
        .unwrap()
    }

    #[test]
    fn reads_pg_get_indexdef() {
        let k = index(
            "CREATE INDEX i ON public.t USING btree (a, lower((b)::text), \"C,D\" DESC) \
             INCLUDE (e) WHERE (a > 0)",
        );
        assert_eq!(k.method, "btree");
        assert_eq!(k.elements, ["a", "lower((b)::text)", "\"C,D\" DESC"]);
        assert_eq!(k.columns(), [Some("a".into()), None, Some("C,D".into())]);
        assert_eq!(k.rest, "INCLUDE (e)");
        assert_eq!(k.predicate.as_deref(), Some("(a > 0)"));
        assert!(
            !k.leads_with(&["a"]),
            "a partial index does not serve every lookup"
        );
        let k = index("CREATE INDEX i ON public.t USING btree (b, a)");
        assert!(k.leads_with(&["a", "b"]));
        assert!(!k.leads_with(&["a"]));
        let k = index("CREATE INDEX i ON public.t USING gin (a)");
        assert!(!k.leads_with(&["a"]));
    }

    #[test]
    fn element_columns() {
        assert_eq!(
            element_column("name text_pattern_ops").as_deref(),
            Some("name")
        );
        assert_eq!(element_column("\"a\"\"b\"").as_deref(), Some("a\"b"));
        assert_eq!(element_column("lower(x)"), None);
        assert_eq!(element_column("((a + b))"), None);
    }
}
