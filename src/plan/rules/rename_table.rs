//! A table renamed with an explicit hint (`renamed_from`), by expand-contract: expand
//! renames it and leaves an updatable view under the old name, so the running
//! application keeps reading and writing through it; contract drops the view. The rest
//! of the plan is computed against the old schema with the table already under its new
//! name, so only real changes to it appear (its indexes are not rebuilt for a rename).

use crate::plan::{Phase, Step};
use crate::schema::{ObjectId, QualifiedName, Schema};
use crate::sql::{ddl, ident, qualified};

/// The old schema as it will be right after the renames: each table moved to its new
/// name, with every definition that names it (its indexes and triggers, foreign keys
/// that reference it, views that read it) and the dependency graph rewritten.
pub fn renamed(old: &Schema, renames: &[(QualifiedName, QualifiedName)]) -> Schema {
    let mut s = old.clone();
    for (from, to) in renames {
        let Some(mut table) = s.tables.remove(from) else {
            continue;
        };
        table.name = to.clone();
        let (a, b) = (qualified(from), qualified(to));
        for i in table.indexes.values_mut() {
            i.definition = replace_name(&i.definition, &a, &b);
        }
        for t in table.triggers.values_mut() {
            t.definition = replace_name(&t.definition, &a, &b);
        }
        // An identity sequence keeps its name when its table is renamed: named as it
        // was, it differs from the new table's default (and is renamed if the model says so).
        for c in table.columns.iter_mut() {
            if let Some(i) = c.identity.as_mut().filter(|i| i.sequence_name.is_none()) {
                i.sequence_name = Some(crate::schema::default_sequence_name(from, &c.name));
            }
        }
        s.tables.insert(to.clone(), table);
        s.privileges.rename_table(from, to);
        for t in s.tables.values_mut() {
            for c in t.constraints.values_mut() {
                if c.references.as_ref() == Some(from) {
                    c.references = Some(to.clone());
                    c.definition = replace_name(&c.definition, &a, &b);
                }
            }
            if let Some(p) = t.partition_of.as_mut().filter(|p| &p.parent == from) {
                p.parent = to.clone();
            }
        }
        for v in s.views.values_mut() {
            v.definition = replace_name(&v.definition, &a, &b);
        }
        for seq in s.sequences.values_mut() {
            if let Some((t, _)) = seq.owned_by.as_mut().filter(|(t, _)| t == from) {
                *t = to.clone();
            }
        }
    }
    let mut deps = crate::schema::Dependencies::default();
    for (dependent, needs) in old.dependencies.iter() {
        deps.add(&rename_id(dependent, renames), &rename_id(needs, renames));
    }
    s.dependencies = deps;
    s
}

fn rename_id(id: &ObjectId, renames: &[(QualifiedName, QualifiedName)]) -> ObjectId {
    let moved = |t: &QualifiedName| {
        renames
            .iter()
            .find(|(from, _)| from == t)
            .map(|(_, to)| to.clone())
            .unwrap_or_else(|| t.clone())
    };
    match id {
        ObjectId::Table(t) => ObjectId::Table(moved(t)),
        ObjectId::Column(t, c) => ObjectId::Column(moved(t), c.clone()),
        ObjectId::Constraint(t, c) => ObjectId::Constraint(moved(t), c.clone()),
        ObjectId::Index(t, i) => ObjectId::Index(moved(t), i.clone()),
        ObjectId::Trigger(t, n) => ObjectId::Trigger(moved(t), n.clone()),
        ObjectId::Policy(t, n) => ObjectId::Policy(moved(t), n.clone()),
        other => other.clone(),
    }
}

/// `a` replaced by `b` where it stands as a whole name (definitions print every user
/// object schema-qualified under `search_path = ''`).
fn replace_name(text: &str, a: &str, b: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(a) {
        let before = if i > 0 {
            rest[..i].chars().last()
        } else {
            out.chars().last()
        };
        let before_ok =
            before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '"' || c == '.'));
        let after = &rest[i + a.len()..];
        let after_ok = after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '"'));
        out.push_str(&rest[..i]);
        out.push_str(if before_ok && after_ok { b } else { a });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Expand: rename, and an updatable view under the old name. Contract: drop the view.
pub fn steps(from: &QualifiedName, to: &QualifiedName) -> Vec<Step> {
    let mut rename = Step::new(format!("rename table {from} to {to}"))
        .sql(ddl::alter_table(
            from,
            &format!("RENAME TO {}", ident(&to.name)),
        ))
        .creates(ObjectId::Table(to.clone()));
    if from.schema != to.schema {
        rename = Step::new(format!("move table {from} to {to}"))
            .sql(ddl::alter_table(
                from,
                &format!("SET SCHEMA {}", ident(&to.schema)),
            ))
            .sql(ddl::alter_table(
                &QualifiedName::new(to.schema.clone(), from.name.clone()),
                &format!("RENAME TO {}", ident(&to.name)),
            ))
            .creates(ObjectId::Table(to.clone()));
    }
    let view = Step::new(format!(
        "keep {from} working as a view on {to} while the old name is in use"
    ))
    .sql(format!(
        "CREATE VIEW {} AS SELECT * FROM {}",
        qualified(from),
        qualified(to)
    ))
    .creates(ObjectId::View(from.clone()))
    .needs_table(to);
    let mut drop = Step::new(format!("drop the view {from} left for the old name"))
        .sql(format!("DROP VIEW {}", qualified(from)));
    drop.phase = Phase::Contract;
    drop.note = Some(format!("run once no application uses the name {from}"));
    let id = ObjectId::Table(to.clone());
    crate::plan::chain(&id, vec![rename, view, drop])
}

impl Step {
    fn needs_table(mut self, t: &QualifiedName) -> Step {
        self.needs.push(ObjectId::Table(t.clone()));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::replace_name;

    #[test]
    fn replaces_whole_names_only() {
        let (a, b) = ("public.users", "public.accounts");
        assert_eq!(
            replace_name("CREATE INDEX i ON public.users USING btree (x)", a, b),
            "CREATE INDEX i ON public.accounts USING btree (x)"
        );
        assert_eq!(
            replace_name("FOREIGN KEY (u) REFERENCES public.users(id)", a, b),
            "FOREIGN KEY (u) REFERENCES public.accounts(id)"
        );
        assert_eq!(
            replace_name("FROM public.users_old u", a, b),
            "FROM public.users_old u"
        );
        assert_eq!(
            replace_name("FROM xpublic.users u", a, b),
            "FROM xpublic.users u"
        );
    }
}
