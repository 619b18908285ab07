//! What kind of statement a migration holds, told from its first tokens: transaction
//! control (which a transactional migration must not contain), statements that must run
//! without timeouts, and the statements of a `-- no-transaction` migration that an
//! interrupted run may have left done or half done (see `resume`).

use super::split::{Statement, Token, TokenKind};

/// The words that end or open a transaction, when `s` is such a statement. `SAVEPOINT`,
/// `RELEASE` and `ROLLBACK TO` work inside the runner's transaction and are allowed.
pub fn transaction_control(s: &Statement) -> Option<String> {
    let w = s.words(3);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    let hit = match w.as_slice() {
        ["begin", ..] | ["commit", ..] | ["end", ..] | ["abort", ..] => 1,
        ["start", "transaction", ..] | ["prepare", "transaction", ..] => 2,
        ["rollback", "to", ..] | ["rollback", "work" | "transaction", "to"] => 0,
        ["rollback", ..] => 1,
        _ => 0,
    };
    (hit > 0).then(|| w[..hit].join(" ").to_uppercase())
}

/// Statements that must not be cut short by a timeout: concurrent index builds and drops
/// (a build stopped by `statement_timeout` leaves an INVALID index; `lock_timeout` would
/// stop it while it waits, as it must, for older transactions) and constraint validation
/// (a long scan that blocks nobody).
pub fn runs_without_timeouts(s: &Statement) -> bool {
    let words = s.words(8);
    let concurrently = words.iter().any(|w| w == "concurrently");
    match words.first().map(String::as_str) {
        Some("create" | "drop" | "reindex") => concurrently,
        Some("alter") => {
            concurrently
                || s.tokens
                    .windows(2)
                    .any(|p| p[0].is("validate") && p[1].is("constraint"))
        }
        _ => false,
    }
}

/// `SET [SESSION] lock_timeout|statement_timeout ...` (or their RESET): a migration that
/// sets its own timeouts keeps them.
pub fn sets_timeouts(s: &Statement) -> bool {
    let w = s.words(3);
    let first = w.first().map(String::as_str);
    let name = match (first, w.get(1).map(String::as_str)) {
        (Some("set" | "reset"), Some("session" | "local")) => w.get(2),
        (Some("set" | "reset"), _) => w.get(1),
        _ => None,
    };
    matches!(
        name.map(String::as_str),
        Some("lock_timeout" | "statement_timeout")
    )
}

/// A statement an interrupted run may have done already.
#[derive(Debug, PartialEq, Eq)]
pub enum Redoable {
    /// `CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON [ONLY] table ...`.
    CreateIndex {
        /// The index name, as the server will see it.
        name: String,
        /// The table as written (possibly qualified and quoted).
        table: String,
        /// Byte ranges of `sql` to leave out, and the range of the table reference,
        /// to build the same index on a probe table.
        drop_ranges: Vec<(usize, usize)>,
        table_range: (usize, usize),
    },
    /// `DROP INDEX CONCURRENTLY [IF EXISTS] name`: done when the index is gone.
    DropIndex { name: String },
    /// `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'label'`: done when the label exists.
    AddEnumValue { type_name: String, label: String },
}

/// The text of a possibly qualified name starting at token `i`, and the index after it.
fn qualified_at(s: &Statement, i: usize) -> Option<(String, usize)> {
    let t = s.tokens.get(i)?;
    let is_name = |t: &Token| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent);
    if !is_name(t) {
        return None;
    }
    let mut end = i + 1;
    while s.tokens.get(end).is_some_and(|t| t.text == ".")
        && s.tokens.get(end + 1).is_some_and(is_name)
    {
        end += 2;
    }
    let text = s.tokens[i..end]
        .iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join("");
    Some((text, end))
}

pub fn redoable(s: &Statement) -> Option<Redoable> {
    let t = &s.tokens;
    let at = |i: usize, w: &str| t.get(i).is_some_and(|t| t.is(w));
    let range = |from: usize, to: usize| {
        let last = &t[to - 1];
        (
            t[from].start - s.start,
            last.start + last.text.len() - s.start,
        )
    };
    if at(0, "create") {
        let mut i = 1;
        if at(i, "unique") {
            i += 1;
        }
        if !(at(i, "index") && at(i + 1, "concurrently")) {
            return None;
        }
        let mut drop_ranges = vec![range(i + 1, i + 2)];
        i += 2;
        if at(i, "if") && at(i + 1, "not") && at(i + 2, "exists") {
            i += 3;
        }
        // Without a name the server picks one: nothing to find again.
        let name = t.get(i).filter(|t| !t.is("on"))?.name()?;
        if !at(i + 1, "on") {
            return None;
        }
        i += 2;
        if at(i, "only") {
            drop_ranges.push(range(i, i + 1));
            i += 1;
        }
        let (table, end) = qualified_at(s, i)?;
        return Some(Redoable::CreateIndex {
            name,
            table,
            drop_ranges,
            table_range: range(i, end),
        });
    }
    if at(0, "drop") && at(1, "index") && at(2, "concurrently") {
        let i = if at(3, "if") && at(4, "exists") { 5 } else { 3 };
        let (name, end) = qualified_at(s, i)?;
        // One index, no CASCADE: anything else is left to the server.
        return (end == t.len()).then_some(Redoable::DropIndex { name });
    }
    if at(0, "alter") && at(1, "type") {
        let (type_name, i) = qualified_at(s, 2)?;
        if !(at(i, "add") && at(i + 1, "value")) {
            return None;
        }
        let i = if at(i + 2, "if") && at(i + 3, "not") && at(i + 4, "exists") {
            i + 5
        } else {
            i + 2
        };
        let label = t.get(i)?.string_value()?;
        return Some(Redoable::AddEnumValue { type_name, label });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::split::split;

    fn first(sql: &str) -> Statement<'_> {
        split(sql).remove(0)
    }

    #[test]
    fn transaction_control_is_found_outside_bodies_only() {
        let control = |sql: &str| transaction_control(&first(sql));
        assert_eq!(control("COMMIT"), Some("COMMIT".into()));
        assert_eq!(
            control("begin isolation level serializable"),
            Some("BEGIN".into())
        );
        assert_eq!(
            control("START TRANSACTION"),
            Some("START TRANSACTION".into())
        );
        assert_eq!(control("END"), Some("END".into()));
        assert_eq!(control("ROLLBACK"), Some("ROLLBACK".into()));
        assert_eq!(control("ABORT"), Some("ABORT".into()));
        assert_eq!(control("ROLLBACK TO SAVEPOINT a"), None);
        assert_eq!(control("SAVEPOINT a"), None);
        assert_eq!(control("DO $$ BEGIN COMMIT; END $$"), None);
        assert_eq!(control("-- BEGIN\nSELECT 'COMMIT'"), None);
    }

    #[test]
    fn timeouts() {
        assert!(runs_without_timeouts(&first(
            "CREATE UNIQUE INDEX CONCURRENTLY i ON t (x)"
        )));
        assert!(runs_without_timeouts(&first(
            "DROP INDEX CONCURRENTLY IF EXISTS i"
        )));
        assert!(runs_without_timeouts(&first(
            "ALTER TABLE t VALIDATE CONSTRAINT c"
        )));
        assert!(!runs_without_timeouts(&first("ALTER TYPE m ADD VALUE 'x'")));
        assert!(sets_timeouts(&first("SET lock_timeout = '1s'")));
        assert!(sets_timeouts(&first("set session statement_timeout to 0")));
        assert!(!sets_timeouts(&first("SET search_path = x")));
    }

    #[test]
    fn redoable_statements() {
        let sql = "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Idx\" ON ONLY public.\"T\" USING btree (x)";
        let s = first(sql);
        match redoable(&s) {
            Some(Redoable::CreateIndex {
                name,
                table,
                drop_ranges,
                table_range,
            }) => {
                assert_eq!(name, "Idx");
                assert_eq!(table, "public.\"T\"");
                assert_eq!(&sql[drop_ranges[0].0..drop_ranges[0].1], "CONCURRENTLY");
                assert_eq!(&sql[drop_ranges[1].0..drop_ranges[1].1], "ONLY");
                assert_eq!(&sql[table_range.0..table_range.1], "public.\"T\"");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            redoable(&first("DROP INDEX CONCURRENTLY public.users_email_idx")),
            Some(Redoable::DropIndex {
                name: "public.users_email_idx".into()
            })
        );
        assert_eq!(
            redoable(&first(
                "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'it''s' AFTER 'ok'"
            )),
            Some(Redoable::AddEnumValue {
                type_name: "public.mood".into(),
                label: "it's".into()
            })
        );
        assert_eq!(redoable(&first("CREATE INDEX CONCURRENTLY ON t (x)")), None);
        assert_eq!(redoable(&first("DROP INDEX CONCURRENTLY a, b")), None);
    }
}
