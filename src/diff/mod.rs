//! Schema x Schema -> changes. One generic routine matches objects by name and reports
//! each as created, dropped or altered; it serves every object kind. Renames are never
//! guessed: a renamed object is a drop and a create.

use crate::schema::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// One object of the IR, owned, as a change carries it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Object {
    Schema(Namespace),
    Extension(Extension),
    Enum(EnumType),
    Domain(Domain),
    Composite(CompositeType),
    Range(RangeType),
    Sequence(Sequence),
    Function(Function),
    /// A whole table when created or dropped; its table-level properties when altered.
    Table(Table),
    Column {
        table: QualifiedName,
        column: Column,
    },
    Constraint {
        table: QualifiedName,
        constraint: Constraint,
    },
    /// An index of a table or a materialized view (`relation`).
    Index {
        relation: QualifiedName,
        index: Index,
    },
    Trigger {
        table: QualifiedName,
        trigger: Trigger,
    },
    Policy {
        table: QualifiedName,
        policy: Policy,
    },
    View(View),
    Statistics(Statistics),
}

impl Object {
    pub fn id(&self) -> ObjectId {
        match self {
            Object::Schema(s) => ObjectId::Schema(s.name.clone()),
            Object::Extension(e) => ObjectId::Extension(e.name.clone()),
            Object::Enum(t) => ObjectId::Type(t.name.clone()),
            Object::Domain(t) => ObjectId::Type(t.name.clone()),
            Object::Composite(t) => ObjectId::Type(t.name.clone()),
            Object::Range(t) => ObjectId::Type(t.name.clone()),
            Object::Sequence(s) => ObjectId::Sequence(s.name.clone()),
            Object::Function(f) => ObjectId::Function(f.key.clone()),
            Object::Table(t) => ObjectId::Table(t.name.clone()),
            Object::Column { table, column } => {
                ObjectId::Column(table.clone(), column.name.clone())
            }
            Object::Constraint { table, constraint } => {
                ObjectId::Constraint(table.clone(), constraint.name.clone())
            }
            Object::Index { relation, index } => {
                ObjectId::Index(relation.clone(), index.name.clone())
            }
            Object::Trigger { table, trigger } => {
                ObjectId::Trigger(table.clone(), trigger.name.clone())
            }
            Object::Policy { table, policy } => {
                ObjectId::Policy(table.clone(), policy.name.clone())
            }
            Object::View(v) => ObjectId::View(v.name.clone()),
            Object::Statistics(s) => ObjectId::Statistics(s.name.clone()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Change {
    Create {
        object: Object,
    },
    Drop {
        object: Object,
    },
    Alter {
        from: Box<Object>,
        to: Box<Object>,
    },
    /// Only from an explicit hint: the same object under a new name.
    Rename {
        from: Box<Object>,
        to: Box<Object>,
    },
}

impl Change {
    pub fn id(&self) -> ObjectId {
        match self {
            Change::Create { object } | Change::Drop { object } => object.id(),
            Change::Alter { to, .. } | Change::Rename { to, .. } => to.id(),
        }
    }
}

/// Every difference between `old` and `new`, in a deterministic order (by object kind,
/// then name). Ordering for execution is the planner's job.
pub fn diff(old: &Schema, new: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    by_name(&old.schemas, &new.schemas, &mut out, |s| {
        Object::Schema(s.clone())
    });
    by_name_eq(
        &old.extensions,
        &new.extensions,
        &mut out,
        |e| Object::Extension(e.clone()),
        // Whether it may move is the installed extension's, not the schema's.
        |a, b| a.name == b.name && a.schema == b.schema,
    );
    by_name(&old.enums, &new.enums, &mut out, |t| {
        Object::Enum(t.clone())
    });
    by_name(&old.domains, &new.domains, &mut out, |t| {
        Object::Domain(t.clone())
    });
    by_name_eq(
        &old.composites,
        &new.composites,
        &mut out,
        |t| Object::Composite(t.clone()),
        |a, b| {
            let sorted = |t: &CompositeType| {
                let mut t = t.clone();
                t.attributes.sort_by(|x, y| x.name.cmp(&y.name));
                t
            };
            sorted(a) == sorted(b)
        },
    );
    by_name(&old.ranges, &new.ranges, &mut out, |t| {
        Object::Range(t.clone())
    });
    by_name(&old.sequences, &new.sequences, &mut out, |s| {
        Object::Sequence(s.clone())
    });
    by_name(&old.functions, &new.functions, &mut out, |f| {
        Object::Function(f.clone())
    });
    diff_tables(old, new, &mut out);
    diff_views(old, new, &mut out);
    by_name(&old.statistics, &new.statistics, &mut out, |s| {
        Object::Statistics(s.clone())
    });
    out
}

/// Pairs the drop of a column and the add of another into a rename where the model says
/// so (`renamed_from`). Renames are never guessed.
pub fn apply_renames(changes: Vec<Change>, hints: &crate::source::Hints) -> Vec<Change> {
    let mut out = changes;
    for (table, renames) in &hints.renamed_columns {
        for (new_name, old_name) in renames {
            let dropped = out.iter().position(|c| {
                matches!(c, Change::Drop { object: Object::Column { table: t, column } }
                    if t == table && column.name == *old_name)
            });
            let created = out.iter().position(|c| {
                matches!(c, Change::Create { object: Object::Column { table: t, column } }
                    if t == table && column.name == *new_name)
            });
            if let (Some(d), Some(c)) = (dropped, created) {
                let (first, second) = if d < c { (c, d) } else { (d, c) };
                let a = out.remove(first);
                let b = out.remove(second);
                let (from, to) = if d < c { (b, a) } else { (a, b) };
                if let (Change::Drop { object: from }, Change::Create { object: to }) = (from, to) {
                    out.push(Change::Rename {
                        from: Box::new(from),
                        to: Box::new(to),
                    });
                }
            }
        }
    }
    out
}

/// Name-agnostic matching for models (docs/rust-models.md#names): the drop of a
/// constraint or index and the create of one on the same table with the same definition,
/// neither named explicitly by the model, are the same object under another name. The
/// pair is left out: the existing name stays.
pub fn match_by_definition(changes: Vec<Change>, hints: &crate::source::Hints) -> Vec<Change> {
    if !hints.match_by_definition {
        return changes;
    }
    let unnamed = |table: &QualifiedName, name: &str| {
        !hints
            .explicit_names
            .contains(&(table.clone(), name.to_string()))
    };
    // Drops by (table, kind and definition without the name).
    let key = |o: &Object| -> Option<(QualifiedName, String)> {
        match o {
            Object::Constraint { table, constraint } if unnamed(table, &constraint.name) => Some((
                table.clone(),
                format!(
                    "constraint {:?} {} {:?}",
                    constraint.kind, constraint.definition, constraint.comment
                ),
            )),
            Object::Index { relation, index } if unnamed(relation, &index.name) => {
                let quoted = crate::sql::ident(&index.name);
                let body = index
                    .definition
                    .split_once(&format!(" {quoted} ON "))
                    .map(|(head, tail)| format!("{head} ON {tail}"))?;
                Some((
                    relation.clone(),
                    format!("index {body} {:?} {}", index.comment, index.valid),
                ))
            }
            _ => None,
        }
    };
    let mut dropped: BTreeMap<(QualifiedName, String), Vec<usize>> = BTreeMap::new();
    for (i, c) in changes.iter().enumerate() {
        if let Change::Drop { object } = c {
            if let Some(k) = key(object) {
                dropped.entry(k).or_default().push(i);
            }
        }
    }
    let mut matched = vec![false; changes.len()];
    for (i, c) in changes.iter().enumerate() {
        if let Change::Create { object } = c {
            if let Some(d) = key(object).and_then(|k| dropped.get_mut(&k)?.pop()) {
                matched[i] = true;
                matched[d] = true;
            }
        }
    }
    changes
        .into_iter()
        .zip(matched)
        .filter(|(_, m)| !m)
        .map(|(c, _)| c)
        .collect()
}

/// The one generic routine: objects matched by key; created, dropped or altered.
fn by_name<K: Ord, V: PartialEq>(
    old: &BTreeMap<K, V>,
    new: &BTreeMap<K, V>,
    out: &mut Vec<Change>,
    wrap: impl Fn(&V) -> Object,
) {
    by_name_eq(old, new, out, wrap, |a, b| a == b)
}

/// `by_name` with an equality of its own, for objects whose data holds more order than
/// their meaning (a composite type's attributes, like a table's columns, cannot be
/// reordered, so their order is not a difference).
fn by_name_eq<K: Ord, V>(
    old: &BTreeMap<K, V>,
    new: &BTreeMap<K, V>,
    out: &mut Vec<Change>,
    wrap: impl Fn(&V) -> Object,
    same: impl Fn(&V, &V) -> bool,
) {
    let mut created = vec![];
    for pair in pairs(old, new) {
        match pair {
            (Some(o), None) => out.push(Change::Drop { object: wrap(o) }),
            (Some(o), Some(n)) if !same(o, n) => out.push(Change::Alter {
                from: Box::new(wrap(o)),
                to: Box::new(wrap(n)),
            }),
            (None, Some(n)) => created.push(Change::Create { object: wrap(n) }),
            _ => {}
        }
    }
    // Drops and alters in name order, then creates in name order.
    out.extend(created);
}

/// The two maps walked side by side in key order: each key once, with what each side
/// holds. Linear, where looking every key up in the other map costs a search each.
fn pairs<'a, K: Ord, V>(
    old: &'a BTreeMap<K, V>,
    new: &'a BTreeMap<K, V>,
) -> impl Iterator<Item = (Option<&'a V>, Option<&'a V>)> {
    let (mut old, mut new) = (old.iter().peekable(), new.iter().peekable());
    std::iter::from_fn(move || {
        let order = match (old.peek(), new.peek()) {
            (None, None) => return None,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some((a, _)), Some((b, _))) => a.cmp(b),
        };
        Some(match order {
            std::cmp::Ordering::Less => (old.next().map(|(_, v)| v), None),
            std::cmp::Ordering::Greater => (None, new.next().map(|(_, v)| v)),
            std::cmp::Ordering::Equal => (old.next().map(|(_, v)| v), new.next().map(|(_, v)| v)),
        })
    })
}

fn diff_tables(old: &Schema, new: &Schema, out: &mut Vec<Change>) {
    let matched: Vec<(Option<&Table>, Option<&Table>)> = pairs(&old.tables, &new.tables).collect();
    // Tables are compared independently, so a large schema is split across cores; the
    // parts come back in name order, as from one loop.
    let parts = crate::par::map_chunks(&matched, |part| {
        let mut out = vec![];
        for pair in part {
            match *pair {
                (Some(o), None) => out.push(Change::Drop {
                    object: Object::Table(o.clone()),
                }),
                (Some(o), Some(n)) => diff_table(o, n, &mut out),
                _ => {}
            }
        }
        out
    });
    out.extend(parts.into_iter().flatten());
    for pair in &matched {
        if let (None, Some(n)) = pair {
            out.push(Change::Create {
                object: Object::Table((*n).clone()),
            });
        }
    }
}

/// The table's own properties, without its columns and other members.
pub fn table_properties(t: &Table) -> Table {
    // Field by field: `..t.clone()` would copy every column and index only to drop them.
    Table {
        name: t.name.clone(),
        unlogged: t.unlogged,
        partition_key: t.partition_key.clone(),
        options: t.options.clone(),
        partition_of: t.partition_of.clone(),
        columns: vec![],
        constraints: BTreeMap::new(),
        indexes: BTreeMap::new(),
        triggers: BTreeMap::new(),
        policies: BTreeMap::new(),
        row_security: t.row_security,
        force_row_security: t.force_row_security,
        replica_identity: t.replica_identity.clone(),
        citus: t.citus.clone(),
        comment: t.comment.clone(),
    }
}

/// Whether two tables agree on what `table_properties` keeps, without copying them.
fn same_properties(o: &Table, n: &Table) -> bool {
    // Destructured in full, so that a new field of `Table` cannot be left out.
    let Table {
        name,
        unlogged,
        partition_key,
        options,
        partition_of,
        columns: _,
        constraints: _,
        indexes: _,
        triggers: _,
        policies: _,
        row_security,
        force_row_security,
        replica_identity,
        citus,
        comment,
    } = o;
    *name == n.name
        && *unlogged == n.unlogged
        && *partition_key == n.partition_key
        && *options == n.options
        && *partition_of == n.partition_of
        && *row_security == n.row_security
        && *force_row_security == n.force_row_security
        && *replica_identity == n.replica_identity
        && *citus == n.citus
        && *comment == n.comment
}

fn diff_table<'a>(o: &'a Table, n: &'a Table, out: &mut Vec<Change>) {
    if !same_properties(o, n) {
        out.push(Change::Alter {
            from: Box::new(Object::Table(table_properties(o))),
            to: Box::new(Object::Table(table_properties(n))),
        });
    }
    let name = &n.name;
    // Most tables of a schema are unchanged, and most changed ones keep their columns:
    // comparing in place first costs no allocation.
    if o.columns != n.columns {
        diff_columns(o, n, out);
    }
    by_name(&o.constraints, &n.constraints, out, |c| {
        Object::Constraint {
            table: name.clone(),
            constraint: c.clone(),
        }
    });
    by_name_eq(
        &o.indexes,
        &n.indexes,
        out,
        |i| Object::Index {
            relation: name.clone(),
            index: i.clone(),
        },
        same_index,
    );
    by_name(&o.triggers, &n.triggers, out, |t| Object::Trigger {
        table: name.clone(),
        trigger: t.clone(),
    });
    by_name(&o.policies, &n.policies, out, |p| Object::Policy {
        table: name.clone(),
        policy: p.clone(),
    });
}

fn diff_columns<'a>(o: &'a Table, n: &'a Table, out: &mut Vec<Change>) {
    let columns = |t: &'a Table| -> BTreeMap<&'a str, &'a Column> {
        t.columns.iter().map(|c| (c.name.as_str(), c)).collect()
    };
    let first = out.len();
    by_name(&columns(o), &columns(n), out, |c| Object::Column {
        table: n.name.clone(),
        column: (*c).clone(),
    });
    // New columns are appended in the order the table lists them, not by name.
    let position = |c: &Change| match c {
        Change::Create {
            object: Object::Column { column, .. },
        } => n.columns.iter().position(|x| x.name == column.name),
        _ => None,
    };
    out[first..].sort_by_key(|c| position(c).unwrap_or(0));
}

/// An index left INVALID by a failed concurrent build differs from the valid one the
/// model wants, and is rebuilt; an INVALID index is never a target to reproduce.
fn same_index(old: &Index, new: &Index) -> bool {
    // Destructured in full, so that a new field of `Index` cannot be left out.
    let Index {
        name,
        definition,
        unique,
        valid,
        comment,
    } = old;
    *name == new.name
        && *definition == new.definition
        && *unique == new.unique
        && *comment == new.comment
        && (*valid || !new.valid)
}

fn diff_views(old: &Schema, new: &Schema, out: &mut Vec<Change>) {
    // A view's indexes and triggers are objects of their own, compared below.
    let without_members = |v: &View| View {
        name: v.name.clone(),
        materialized: v.materialized,
        definition: v.definition.clone(),
        columns: v.columns.clone(),
        options: v.options.clone(),
        indexes: BTreeMap::new(),
        triggers: BTreeMap::new(),
        column_comments: v.column_comments.clone(),
        comment: v.comment.clone(),
    };
    let same = |o: &View, n: &View| {
        let View {
            name,
            materialized,
            definition,
            columns,
            options,
            indexes: _,
            triggers: _,
            column_comments,
            comment,
        } = o;
        *name == n.name
            && *materialized == n.materialized
            && *definition == n.definition
            && *columns == n.columns
            && *options == n.options
            && *column_comments == n.column_comments
            && *comment == n.comment
    };
    by_name_eq(
        &old.views,
        &new.views,
        out,
        |v| Object::View(without_members(v)),
        same,
    );
    let empty = BTreeMap::new();
    for name in old
        .views
        .keys()
        .chain(new.views.keys().filter(|k| !old.views.contains_key(*k)))
    {
        let o = old.views.get(name).map(|v| &v.indexes).unwrap_or(&empty);
        let n = new.views.get(name).map(|v| &v.indexes).unwrap_or(&empty);
        by_name(o, n, out, |i| Object::Index {
            relation: name.clone(),
            index: i.clone(),
        });
        let empty = BTreeMap::new();
        let o = old.views.get(name).map(|v| &v.triggers).unwrap_or(&empty);
        let n = new.views.get(name).map(|v| &v.triggers).unwrap_or(&empty);
        by_name(o, n, out, |t| Object::Trigger {
            table: name.clone(),
            trigger: t.clone(),
        });
    }
}

/// The object `id` names in `schema`, if it is there.
pub fn find_object(schema: &Schema, id: &ObjectId) -> Option<Object> {
    let table = |t: &QualifiedName| schema.tables.get(t);
    Some(match id {
        // A placement is a property of its table, not an object to recreate.
        ObjectId::Placement(_) => return None,
        ObjectId::Schema(s) => Object::Schema(schema.schemas.get(s)?.clone()),
        ObjectId::Extension(e) => Object::Extension(schema.extensions.get(e)?.clone()),
        ObjectId::Type(t) => {
            if let Some(e) = schema.enums.get(t) {
                Object::Enum(e.clone())
            } else if let Some(d) = schema.domains.get(t) {
                Object::Domain(d.clone())
            } else if let Some(r) = schema.ranges.get(t) {
                Object::Range(r.clone())
            } else {
                Object::Composite(schema.composites.get(t)?.clone())
            }
        }
        ObjectId::Sequence(s) => Object::Sequence(schema.sequences.get(s)?.clone()),
        ObjectId::Function(k) => Object::Function(schema.functions.get(k)?.clone()),
        ObjectId::Table(t) => Object::Table(table(t)?.clone()),
        ObjectId::Column(t, c) => Object::Column {
            table: t.clone(),
            column: table(t)?.column(c)?.clone(),
        },
        ObjectId::Constraint(t, c) => Object::Constraint {
            table: t.clone(),
            constraint: table(t)?.constraints.get(c)?.clone(),
        },
        ObjectId::Index(r, i) => {
            let index = match table(r) {
                Some(t) => t.indexes.get(i)?,
                None => schema.views.get(r)?.indexes.get(i)?,
            };
            Object::Index {
                relation: r.clone(),
                index: index.clone(),
            }
        }
        ObjectId::Trigger(t, n) => {
            let trigger = match table(t) {
                Some(table) => table.triggers.get(n)?,
                None => schema.views.get(t)?.triggers.get(n)?,
            };
            Object::Trigger {
                table: t.clone(),
                trigger: trigger.clone(),
            }
        }
        ObjectId::Policy(t, n) => Object::Policy {
            table: t.clone(),
            policy: table(t)?.policies.get(n)?.clone(),
        },
        ObjectId::Statistics(s) => Object::Statistics(schema.statistics.get(s)?.clone()),
        ObjectId::View(v) => Object::View(View {
            indexes: BTreeMap::new(),
            triggers: BTreeMap::new(),
            ..schema.views.get(v)?.clone()
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_walks_both_maps_in_key_order() {
        let old = BTreeMap::from([(1, "a"), (3, "c"), (4, "d")]);
        let new = BTreeMap::from([(2, "B"), (3, "C"), (5, "E")]);
        let walked: Vec<_> = pairs(&old, &new).collect();
        assert_eq!(
            walked,
            [
                (Some(&"a"), None),
                (None, Some(&"B")),
                (Some(&"c"), Some(&"C")),
                (Some(&"d"), None),
                (None, Some(&"E")),
            ]
        );
        assert_eq!(pairs(&old, &BTreeMap::new()).count(), 3);
        assert_eq!(
            pairs::<i32, &str>(&BTreeMap::new(), &BTreeMap::new()).count(),
            0
        );
    }

    #[test]
    fn drops_and_alters_come_before_creates_each_in_name_order() {
        let enum_type = |name: &str, values: &[&str]| EnumType {
            name: QualifiedName::new("public", name),
            values: values.iter().map(|v| v.to_string()).collect(),
            comment: None,
        };
        let map = |types: Vec<EnumType>| -> BTreeMap<QualifiedName, EnumType> {
            types.into_iter().map(|t| (t.name.clone(), t)).collect()
        };
        let old = map(vec![enum_type("b", &["x"]), enum_type("d", &["x"])]);
        let new = map(vec![enum_type("a", &["x"]), enum_type("d", &["y"])]);
        let mut out = vec![];
        by_name(&old, &new, &mut out, |t| Object::Enum(t.clone()));
        let kinds: Vec<(&str, String)> = out
            .iter()
            .map(|c| {
                let kind = match c {
                    Change::Drop { .. } => "drop",
                    Change::Alter { .. } => "alter",
                    Change::Create { .. } => "create",
                    Change::Rename { .. } => "rename",
                };
                (kind, c.id().to_string())
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("drop", "type public.b".to_string()),
                ("alter", "type public.d".to_string()),
                ("create", "type public.a".to_string()),
            ]
        );
    }
}
