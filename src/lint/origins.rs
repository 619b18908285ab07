//! Where the model wrote each object, so findings point at `file:line:column`. TOML and
//! Rust models have places; SQL files and databases do not, and their findings name the
//! object only.

use crate::schema::{Name, ObjectId, QualifiedName};
use crate::source::model::{ConstraintBody, IndexBody, Model, Origin};
use std::collections::HashMap;

#[derive(Clone, Debug, Default)]
pub struct Origins {
    exact: HashMap<ObjectId, Origin>,
    /// Constraints and indexes the model leaves PostgreSQL to name, found by their table
    /// and columns.
    unnamed: Vec<(QualifiedName, Vec<String>, Origin)>,
}

impl Origins {
    /// No places: findings name the object.
    pub fn none() -> Origins {
        Origins::default()
    }

    pub fn from_model(model: &Model) -> Origins {
        let mut o = Origins::default();
        let mut put = |id: ObjectId, origin: &Origin| {
            o.exact.entry(id).or_insert_with(|| origin.clone());
        };
        for e in &model.enums {
            put(ObjectId::Type(e.name.clone()), &e.origin);
        }
        for d in &model.domains {
            put(ObjectId::Type(d.name.clone()), &d.origin);
        }
        for c in &model.composites {
            put(ObjectId::Type(c.name.clone()), &c.origin);
        }
        for s in &model.sequences {
            put(ObjectId::Sequence(s.name.clone()), &s.origin);
        }
        for v in &model.views {
            put(ObjectId::View(v.name.clone()), &v.origin);
        }
        let mut unnamed = vec![];
        for t in &model.tables {
            let table = || t.name.clone();
            put(ObjectId::Table(table()), &t.origin);
            for c in &t.columns {
                put(
                    ObjectId::Column(table(), Name::from(c.name.as_str())),
                    &c.origin,
                );
            }
            for c in &t.constraints {
                let columns = match &c.body {
                    ConstraintBody::PrimaryKey(cols) | ConstraintBody::Unique(cols) => cols.clone(),
                    ConstraintBody::ForeignKey(fk) => fk.columns.clone(),
                    ConstraintBody::Check(_) | ConstraintBody::Definition(_) => vec![],
                };
                match &c.name {
                    Some(n) => put(
                        ObjectId::Constraint(table(), Name::from(n.as_str())),
                        &c.origin,
                    ),
                    None => unnamed.push((table(), columns, c.origin.clone())),
                }
            }
            for i in &t.indexes {
                let columns = match &i.body {
                    IndexBody::Keys {
                        columns,
                        expressions,
                        ..
                    } if expressions.is_empty() => columns.clone(),
                    _ => vec![],
                };
                match &i.name {
                    Some(n) => put(ObjectId::Index(table(), Name::from(n.as_str())), &i.origin),
                    None => unnamed.push((table(), columns, i.origin.clone())),
                }
            }
        }
        o.unnamed = unnamed;
        o
    }

    /// The place of `id`; for a constraint or index the model does not name, the one on
    /// the same table with the same `columns`, else the first column's place, else the
    /// table's.
    pub fn locate(&self, id: &ObjectId, columns: &[String]) -> Option<Origin> {
        if let Some(o) = self.exact.get(id) {
            return Some(o.clone());
        }
        let table = match id {
            ObjectId::Constraint(t, _) | ObjectId::Index(t, _) => t,
            ObjectId::Column(t, _) | ObjectId::Trigger(t, _) | ObjectId::Policy(t, _) => {
                return self.exact.get(&ObjectId::Table(t.clone())).cloned();
            }
            _ => return None,
        };
        let same = |cols: &Vec<String>| {
            !columns.is_empty()
                && cols.len() == columns.len()
                && cols.iter().all(|c| columns.contains(c))
        };
        self.unnamed
            .iter()
            .find(|(t, cols, _)| t == table && same(cols))
            .map(|(_, _, o)| o.clone())
            .or_else(|| {
                let first = columns.first()?;
                let column = ObjectId::Column(table.clone(), Name::from(first.as_str()));
                self.exact.get(&column).cloned()
            })
            .or_else(|| self.exact.get(&ObjectId::Table(table.clone())).cloned())
    }
}
