use super::{FunctionKey, QualifiedName};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// Identifies one object for dependency ordering. Finer than the IR's maps: a column, a
/// constraint or an index is an object of its own, because statements act on them one by one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ObjectId {
    Schema(String),
    Extension(String),
    /// An enum, domain or composite type.
    Type(QualifiedName),
    Sequence(QualifiedName),
    Function(FunctionKey),
    Table(QualifiedName),
    Column(QualifiedName, String),
    Constraint(QualifiedName, String),
    /// An index of a table or materialized view, by relation and index name.
    Index(QualifiedName, String),
    Trigger(QualifiedName, String),
    Policy(QualifiedName, String),
    View(QualifiedName),
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
        }
    }
}

/// `dependent -> {objects it needs}`, deterministic in iteration order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dependencies {
    edges: BTreeMap<ObjectId, BTreeSet<ObjectId>>,
}

impl Dependencies {
    pub fn add(&mut self, dependent: ObjectId, needs: ObjectId) {
        if dependent != needs {
            self.edges.entry(dependent).or_default().insert(needs);
        }
    }

    /// What `id` needs directly.
    pub fn needs(&self, id: &ObjectId) -> impl Iterator<Item = &ObjectId> {
        self.edges.get(id).into_iter().flatten()
    }

    /// Every object that needs `id`, directly or through others. Builds the reverse
    /// edges each time: to ask about many objects, use [`Dependencies::reverse`] once.
    pub fn dependents_of(&self, id: &ObjectId) -> BTreeSet<ObjectId> {
        self.reverse().dependents_of(id)
    }

    /// The edges the other way round (`needed -> {dependents}`), for many
    /// `dependents_of` questions.
    pub fn reverse(&self) -> Dependents<'_> {
        // Only looked up, never iterated: a hash map is deterministic here, and much
        // cheaper to build than a tree of tens of thousands of schema-qualified names.
        let mut reverse: HashMap<&ObjectId, Vec<&ObjectId>> = HashMap::new();
        for (dep, needs) in &self.edges {
            for n in needs {
                reverse.entry(n).or_default().push(dep);
            }
        }
        Dependents { reverse }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&ObjectId, &BTreeSet<ObjectId>)> {
        self.edges.iter()
    }
}

/// Reverse dependency edges of a [`Dependencies`], built once.
pub struct Dependents<'a> {
    reverse: HashMap<&'a ObjectId, Vec<&'a ObjectId>>,
}

impl Dependents<'_> {
    /// The objects that need `id` directly.
    pub fn direct_dependents_of(&self, id: &ObjectId) -> BTreeSet<ObjectId> {
        self.reverse
            .get(id)
            .into_iter()
            .flatten()
            .map(|d| (*d).clone())
            .collect()
    }

    /// Every object that needs `id`, directly or through others.
    pub fn dependents_of(&self, id: &ObjectId) -> BTreeSet<ObjectId> {
        let mut found = BTreeSet::new();
        let mut stack = vec![id];
        while let Some(cur) = stack.pop() {
            for d in self.reverse.get(cur).into_iter().flatten() {
                if found.insert((*d).clone()) {
                    stack.push(d);
                }
            }
        }
        found
    }
}
