use super::{FunctionKey, Name, QualifiedName};
use rustc_hash::FxBuildHasher;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

type FxIndexSet<T> = indexmap::IndexSet<T, FxBuildHasher>;
use std::fmt;

/// Identifies one object for dependency ordering. Finer than the IR's maps: a column, a
/// constraint or an index is an object of its own, because statements act on them one by one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ObjectId {
    Schema(Name),
    Extension(Name),
    /// An enum, domain, composite or range type.
    Type(QualifiedName),
    Sequence(QualifiedName),
    Function(FunctionKey),
    Table(QualifiedName),
    Column(QualifiedName, Name),
    Constraint(QualifiedName, Name),
    /// An index of a table or materialized view, by relation and index name.
    Index(QualifiedName, Name),
    Trigger(QualifiedName, Name),
    Policy(QualifiedName, Name),
    View(QualifiedName),
    /// An extended statistics object (`CREATE STATISTICS`).
    Statistics(QualifiedName),
    /// A table's Citus placement: the step that distributes (or undistributes) an
    /// existing table, ordered apart from the table itself (see `plan::rules::citus`).
    Placement(QualifiedName),
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectId::Schema(s) => write!(f, "schema {s}"),
            ObjectId::Extension(e) => write!(f, "extension {e}"),
            ObjectId::Type(t) => write!(f, "type {t}"),
            ObjectId::Sequence(s) => write!(f, "sequence {s}"),
            ObjectId::Function(k) => write!(f, "function {k}"),
            ObjectId::Table(t) => write!(f, "table {t}"),
            ObjectId::Column(t, c) => write!(f, "column {t}.{c}"),
            ObjectId::Constraint(t, c) => write!(f, "constraint {c} on {t}"),
            ObjectId::Index(t, i) => write!(f, "index {i} on {t}"),
            ObjectId::Trigger(t, n) => write!(f, "trigger {n} on {t}"),
            ObjectId::Policy(t, n) => write!(f, "policy {n} on {t}"),
            ObjectId::View(v) => write!(f, "view {v}"),
            ObjectId::Statistics(s) => write!(f, "statistics {s}"),
            ObjectId::Placement(t) => write!(f, "Citus placement of table {t}"),
        }
    }
}

/// Which object needs which, both ways round.
///
/// Ids are interned once: each edge is a pair of indexes, each way, so asking what an
/// object needs or what needs it is one hash lookup and a slice, and neither direction is
/// rebuilt per plan. Lists keep the order edges were added in (deterministic for a given
/// input); callers treat them as sets.
#[derive(Clone, Debug, Default)]
pub struct Dependencies {
    /// Each id once, at its index (one copy: the set is the index too).
    ids: FxIndexSet<ObjectId>,
    needs: Vec<Vec<u32>>,
    needed_by: Vec<Vec<u32>>,
}

impl Dependencies {
    /// Room for `objects` objects without growing (growing a table of 100,000 ids
    /// copies it and touches twice the memory).
    pub fn with_capacity(objects: usize) -> Dependencies {
        Dependencies {
            ids: FxIndexSet::with_capacity_and_hasher(objects, Default::default()),
            needs: Vec::with_capacity(objects),
            needed_by: Vec::with_capacity(objects),
        }
    }

    pub fn add(&mut self, dependent: &ObjectId, needs: &ObjectId) {
        if dependent == needs {
            return;
        }
        let (d, n) = (self.intern_ref(dependent), self.intern_ref(needs));
        self.add_at(d, n);
    }

    /// `dependent` needs `needs`, both given by index (from [`Dependencies::intern`]).
    pub fn add_at(&mut self, dependent: u32, needs: u32) {
        let (d, n) = (dependent as usize, needs as usize);
        // An object needs few others, so this scan is short; the other direction (a
        // schema needed by every table) can be long and is never scanned.
        if d != n && !self.needs[d].contains(&needs) {
            self.needs[d].push(needs);
            self.needed_by[n].push(dependent);
        }
    }

    /// The index of `id`, added (with no edges yet) if it is new.
    pub fn intern(&mut self, id: ObjectId) -> u32 {
        // One hash of the id, whether it is new or not.
        let (i, added) = self.ids.insert_full(id);
        if added {
            self.needs.push(vec![]);
            self.needed_by.push(vec![]);
        }
        u32::try_from(i).expect("fewer than 2^32 objects")
    }

    /// `intern`, copying `id` only when it is new.
    fn intern_ref(&mut self, id: &ObjectId) -> u32 {
        match self.ids.get_index_of(id) {
            Some(i) => i as u32,
            None => self.intern(id.clone()),
        }
    }

    fn at_indexes<'a>(&'a self, list: Option<&'a Vec<u32>>) -> impl Iterator<Item = &'a ObjectId> {
        list.into_iter().flatten().map(|&i| &self.ids[i as usize])
    }

    /// What `id` needs directly.
    pub fn needs(&self, id: &ObjectId) -> impl Iterator<Item = &ObjectId> {
        self.at_indexes(self.ids.get_index_of(id).map(|i| &self.needs[i]))
    }

    /// The objects that need `id` directly.
    pub fn direct_dependents_of(&self, id: &ObjectId) -> impl Iterator<Item = &ObjectId> {
        self.at_indexes(self.ids.get_index_of(id).map(|i| &self.needed_by[i]))
    }

    /// The number of objects interned (most with edges); their indexes are `0..len()`.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The index of `id`, for the index-based questions below; `None` for an object the
    /// graph never saw (then nothing needs it and it needs nothing).
    pub fn index_of(&self, id: &ObjectId) -> Option<u32> {
        self.ids.get_index_of(id).map(|i| i as u32)
    }

    /// The object at index `i`.
    pub fn id(&self, i: u32) -> &ObjectId {
        &self.ids[i as usize]
    }

    /// The indexes of what the object at index `i` needs.
    pub fn needs_at(&self, i: u32) -> &[u32] {
        &self.needs[i as usize]
    }

    /// The indexes of the objects that need the object at index `i` directly.
    pub fn dependents_at(&self, i: u32) -> &[u32] {
        &self.needed_by[i as usize]
    }

    /// Every object that needs `id`, directly or through others.
    pub fn dependents_of(&self, id: &ObjectId) -> BTreeSet<ObjectId> {
        let mut found = BTreeSet::new();
        let mut stack = vec![id];
        while let Some(cur) = stack.pop() {
            for d in self.direct_dependents_of(cur) {
                if found.insert(d.clone()) {
                    stack.push(d);
                }
            }
        }
        found
    }

    /// Every edge as (dependent, what it needs), in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (&ObjectId, &ObjectId)> {
        self.needs.iter().enumerate().flat_map(move |(d, needs)| {
            needs
                .iter()
                .map(move |&n| (&self.ids[d], &self.ids[n as usize]))
        })
    }

    fn edge_set(&self) -> BTreeSet<(&ObjectId, &ObjectId)> {
        self.iter().collect()
    }
}

/// The same edges, whatever order they were added in.
impl PartialEq for Dependencies {
    fn eq(&self, other: &Self) -> bool {
        self.edge_set() == other.edge_set()
    }
}

impl Eq for Dependencies {}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str) -> ObjectId {
        ObjectId::Table(QualifiedName::new("public", name))
    }

    #[test]
    fn edges_are_kept_once_and_read_both_ways() {
        let mut deps = Dependencies::default();
        let (a, b, c) = (table("a"), table("b"), table("c"));
        deps.add(&a, &b);
        deps.add(&a, &b);
        deps.add(&b, &c);
        deps.add(&c, &c);
        assert_eq!(deps.needs(&a).collect::<Vec<_>>(), [&b]);
        assert_eq!(deps.direct_dependents_of(&c).collect::<Vec<_>>(), [&b]);
        assert_eq!(
            deps.dependents_of(&c),
            BTreeSet::from([a.clone(), b.clone()])
        );
        assert_eq!(deps.needs(&c).count(), 0);
        assert_eq!(deps.iter().count(), 2);
    }

    #[test]
    fn equality_ignores_insertion_order() {
        let (a, b, c) = (table("a"), table("b"), table("c"));
        let mut one = Dependencies::default();
        one.add(&a, &b);
        one.add(&b, &c);
        let mut two = Dependencies::default();
        two.add(&b, &c);
        two.add(&a, &b);
        assert_eq!(one, two);
        two.add(&a, &c);
        assert_ne!(one, two);
    }
}
