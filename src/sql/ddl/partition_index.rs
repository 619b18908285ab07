//! An index of a partitioned table built without blocking writes: `CREATE INDEX ... ON
//! ONLY parent` (an INVALID index of the parent alone), each partition's index built
//! `CONCURRENTLY`, then `ALTER INDEX parent_index ATTACH PARTITION partition_index`,
//! after which the parent index is valid. PostgreSQL 15 cannot build a partitioned
//! index concurrently in one statement. Reference: CREATE INDEX, "Notes" on partitioned
//! tables (<https://www.postgresql.org/docs/15/sql-createindex.html>).
//!
//! Partition indexes get the names PostgreSQL gives them when it builds the index on the
//! partitions itself (`ChooseIndexName` in `indexcmds.c`), so a database migrated this way
//! dumps the same as one where the index was created on the parent in one statement.

use crate::schema::QualifiedName;
use crate::sql::{ident, qualified, MAX_NAME_BYTES};

/// The definition (`pg_get_indexdef` of an index of `parent`, with `ON`, not `ON ONLY`)
/// split at the table: (`CREATE [UNIQUE] INDEX`, the rest from `USING`).
fn split(definition: &str, name: &str, parent: &QualifiedName) -> Option<(String, String)> {
    let marker = format!(" {} ON {} ", ident(name), qualified(parent));
    let (head, rest) = definition.split_once(&marker)?;
    Some((head.to_string(), rest.to_string()))
}

/// `CREATE INDEX name ON ONLY parent ...`.
pub fn index_on_only(definition: &str, name: &str, parent: &QualifiedName) -> Option<String> {
    let (head, rest) = split(definition, name, parent)?;
    Some(format!(
        "{head} {} ON ONLY {} {rest}",
        ident(name),
        qualified(parent)
    ))
}

/// The same index, named `child`, on `partition`: built `CONCURRENTLY` for a leaf,
/// `ON ONLY` for a partition that is itself partitioned.
pub fn index_on_partition(
    definition: &str,
    name: &str,
    parent: &QualifiedName,
    partition: &QualifiedName,
    child: &str,
    leaf: bool,
) -> Option<String> {
    let (head, rest) = split(definition, name, parent)?;
    Some(if leaf {
        format!(
            "{head} CONCURRENTLY {} ON {} {rest}",
            ident(child),
            qualified(partition)
        )
    } else {
        format!(
            "{head} {} ON ONLY {} {rest}",
            ident(child),
            qualified(partition)
        )
    })
}

/// `ALTER INDEX parent_index ATTACH PARTITION partition_index` (both in their table's
/// schema).
pub fn attach_index(
    parent: &QualifiedName,
    index: &str,
    partition: &QualifiedName,
    child: &str,
) -> String {
    format!(
        "ALTER INDEX {} ATTACH PARTITION {}",
        qualified(&QualifiedName::new(parent.schema.clone(), index)),
        qualified(&QualifiedName::new(partition.schema.clone(), child))
    )
}

/// The name PostgreSQL gives the index it makes on `partition` for an index of its
/// parent whose columns are named `columns` (the parent index's own column names):
/// `<table>_<columns>_idx`, cut to 63 bytes (the longer part first), with a number after
/// `idx` while the name is `taken`.
pub fn partition_index_name(
    columns: &[String],
    partition: &str,
    taken: impl Fn(&str) -> bool,
) -> String {
    let addition = columns.join("_");
    // ChooseIndexNameAddition stops once the names reach NAMEDATALEN bytes.
    let addition = clip(&addition, MAX_NAME_BYTES + 1);
    let mut pass = 0;
    loop {
        let label = if pass == 0 {
            "idx".to_string()
        } else {
            format!("idx{pass}")
        };
        let name = object_name(partition, addition, &label);
        if !taken(&name) {
            return name;
        }
        pass += 1;
    }
}

/// makeObjectName: `name1_name2_label` within 63 bytes, shortening the longer of the
/// two names a byte at a time, then back to a character boundary.
fn object_name(name1: &str, name2: &str, label: &str) -> String {
    let overhead = 1 + label.len() + 1;
    let avail = MAX_NAME_BYTES - overhead;
    let (mut n1, mut n2) = (name1.len(), name2.len());
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    format!("{}_{}_{label}", clip(name1, n1), clip(name2, n2))
}

/// The longest prefix of `s` of at most `bytes` bytes that ends on a character.
fn clip(s: &str, bytes: usize) -> &str {
    let mut end = bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// An index's column names as PostgreSQL chooses them (FigureIndexColname, then
/// ChooseIndexColumnNames), from its definition, for when the catalog's are not at hand:
/// a column's name, a function's name for a call, `expr` for anything else; a name
/// already used gets a number (`expr1`).
pub fn index_column_names(definition: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let Some(after_using) = definition.split_once(" USING ").map(|(_, r)| r) else {
        return out;
    };
    let mut lists = vec![];
    if let Some(open) = after_using.find('(') {
        let (keys, end) = top_level_items(&after_using[open..]);
        lists.push(keys);
        let tail = &after_using[open + end..];
        if let Some(include) = tail.strip_prefix(" INCLUDE ") {
            lists.push(top_level_items(include).0);
        }
    }
    for item in lists.into_iter().flatten() {
        let original = element_name(item);
        let mut name = original.clone();
        let mut i = 1;
        while out.contains(&name) {
            let suffix = i.to_string();
            name = format!("{}{suffix}", clip(&original, MAX_NAME_BYTES - suffix.len()));
            i += 1;
        }
        out.push(name);
    }
    out
}

/// A column name, a function name, or `expr`: pg_get_indexdef prints a column as its
/// (quoted) name followed by nothing or a space (collation, operator class, order), a
/// function call as `name(...)`, anything else in parentheses.
fn element_name(item: &str) -> String {
    let item = item.trim();
    let (name, rest) = match item.strip_prefix('"') {
        Some(quoted) => {
            let mut name = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().map(|&(_, c)| c) == Some('"') {
                        chars.next();
                        name.push('"');
                        continue;
                    }
                    end = Some(i + 1);
                    break;
                }
                name.push(c);
            }
            match end {
                Some(end) => (name, &quoted[end..]),
                None => return "expr".into(),
            }
        }
        None => {
            let end = item
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.'))
                .unwrap_or(item.len());
            if end == 0 {
                return "expr".into();
            }
            // A qualified function: its last part.
            let word = &item[..end];
            (
                word.rsplit('.').next().unwrap_or(word).to_string(),
                &item[end..],
            )
        }
    };
    match rest.chars().next() {
        None | Some(' ') | Some('(') => name,
        _ => "expr".into(),
    }
}

/// The comma-separated items inside the parenthesis `text` starts with, and the byte
/// just past its closing parenthesis. Strings and quoted names may hold anything.
fn top_level_items(text: &str) -> (Vec<&str>, usize) {
    let mut items = vec![];
    let (mut depth, mut start) = (0usize, 1usize);
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    items.push(&text[start..i]);
                    return (items, i + 1);
                }
            }
            (None, ',') if depth == 1 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    (items, text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent() -> QualifiedName {
        QualifiedName::new("public", "metrics")
    }

    #[test]
    fn names_follow_postgresql() {
        // As PostgreSQL 15 named them (checked on a server).
        let none = |_: &str| false;
        let def = "CREATE INDEX m_idx ON public.metrics USING btree (name, lower(kind), ((a + b))) INCLUDE (\"Value\")";
        let columns = index_column_names(def);
        assert_eq!(columns, ["name", "lower", "expr", "Value"]);
        assert_eq!(
            partition_index_name(&columns, "metrics_2025", none),
            "metrics_2025_name_lower_expr_Value_idx"
        );
        let def = "CREATE UNIQUE INDEX u ON public.metrics USING btree (\"Mixed \"\"q\"\"\" DESC NULLS LAST, at) WHERE (name IS NOT NULL)";
        assert_eq!(
            partition_index_name(&index_column_names(def), "metrics_2025", none),
            "metrics_2025_Mixed \"q\"_at_idx"
        );
        let def =
            "CREATE INDEX i ON public.metrics USING btree (((a + 1)), ((b + 1)), public.f(a))";
        assert_eq!(index_column_names(def), ["expr", "expr1", "f"]);
        let taken = |n: &str| n == "p_at_idx" || n == "p_at_idx1";
        assert_eq!(
            partition_index_name(&["at".into()], "p", taken),
            "p_at_idx2"
        );
        let def = "CREATE INDEX i ON public.metrics USING gin (name public.gin_trgm_ops)";
        assert_eq!(index_column_names(def), ["name"]);
    }

    #[test]
    fn long_names_cut_the_longer_part_first() {
        let table = "t".repeat(40) + "_p";
        let columns = ["c".repeat(40)];
        let name = partition_index_name(&columns, &table, |_| false);
        assert_eq!(name, format!("{}_{}_idx", "t".repeat(29), "c".repeat(29)));
        // PostgreSQL 15 gave this one (the first name was taken by the parent's index).
        let name = partition_index_name(&columns, &table, |n| n.ends_with("_idx"));
        assert_eq!(
            name,
            "ttttttttttttttttttttttttttttt_cccccccccccccccccccccccccccc_idx1"
        );
    }

    #[test]
    fn statements() {
        let def =
            "CREATE UNIQUE INDEX m_idx ON public.metrics USING btree (name) WHERE (name <> ' ON ')";
        assert_eq!(
            index_on_only(def, "m_idx", &parent()).unwrap(),
            "CREATE UNIQUE INDEX m_idx ON ONLY public.metrics USING btree (name) WHERE (name <> ' ON ')"
        );
        let part = QualifiedName::new("public", "metrics_2025");
        assert_eq!(
            index_on_partition(def, "m_idx", &parent(), &part, "metrics_2025_name_idx", true)
                .unwrap(),
            "CREATE UNIQUE INDEX CONCURRENTLY metrics_2025_name_idx ON public.metrics_2025 USING btree (name) WHERE (name <> ' ON ')"
        );
        assert_eq!(
            attach_index(&parent(), "m_idx", &part, "metrics_2025_name_idx"),
            "ALTER INDEX public.m_idx ATTACH PARTITION public.metrics_2025_name_idx"
        );
    }
}
