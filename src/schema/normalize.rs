//! Derived facts about the IR: default sequence options and the dependencies that follow
//! from structure alone (a column needs its table, a partition its parent, ...).

use super::*;

impl SequenceOptions {
    /// The options `CREATE SEQUENCE ... AS data_type` gets when none are given.
    pub fn default_for(data_type: &str) -> SequenceOptions {
        SequenceOptions {
            data_type: data_type.to_string(),
            start: 1,
            increment: 1,
            min_value: 1,
            max_value: Self::type_max(data_type),
            cache: 1,
            cycle: false,
        }
    }

    pub fn type_max(data_type: &str) -> i64 {
        match data_type {
            "smallint" => i16::MAX.into(),
            "integer" => i32::MAX.into(),
            _ => i64::MAX,
        }
    }

    pub fn type_min(data_type: &str) -> i64 {
        match data_type {
            "smallint" => i16::MIN.into(),
            "integer" => i32::MIN.into(),
            _ => i64::MIN,
        }
    }

    /// Bounds PostgreSQL picks when MINVALUE/MAXVALUE are not given, which depend on the
    /// direction of the increment.
    pub fn default_bounds(&self) -> (i64, i64) {
        if self.increment > 0 {
            (1, Self::type_max(&self.data_type))
        } else {
            (Self::type_min(&self.data_type), -1)
        }
    }

    pub fn default_start(&self) -> i64 {
        if self.increment > 0 {
            self.min_value
        } else {
            self.max_value
        }
    }
}

impl Schema {
    /// Adds the dependencies that structure implies, whatever the source of the schema.
    pub fn add_structural_dependencies(&mut self) {
        let mut deps = std::mem::take(&mut self.dependencies);
        let schema_of = |s: &str| ObjectId::Schema(s.into());
        for e in self.extensions.values() {
            deps.add(&ObjectId::Extension(e.name.clone()), &schema_of(&e.schema));
        }
        for name in self
            .enums
            .keys()
            .chain(self.domains.keys())
            .chain(self.composites.keys())
        {
            deps.add(&ObjectId::Type(name.clone()), &schema_of(&name.schema));
        }
        for name in self.sequences.keys() {
            deps.add(&ObjectId::Sequence(name.clone()), &schema_of(&name.schema));
        }
        for key in self.functions.keys() {
            deps.add(&ObjectId::Function(key.clone()), &schema_of(&key.schema));
        }
        for v in self.views.values() {
            let id = ObjectId::View(v.name.clone());
            deps.add(&id, &schema_of(&v.name.schema));
            for i in v.indexes.keys() {
                deps.add(&ObjectId::Index(v.name.clone(), i.clone()), &id);
            }
            for n in v.triggers.keys() {
                deps.add(&ObjectId::Trigger(v.name.clone(), n.clone()), &id);
            }
        }
        for t in self.tables.values() {
            let table = ObjectId::Table(t.name.clone());
            deps.add(&table, &schema_of(&t.name.schema));
            if let Some(p) = &t.partition_of {
                deps.add(&table, &ObjectId::Table(p.parent.clone()));
            }
            for c in &t.columns {
                deps.add(&ObjectId::Column(t.name.clone(), c.name.clone()), &table);
            }
            for c in t.constraints.values() {
                let id = ObjectId::Constraint(t.name.clone(), c.name.clone());
                deps.add(&id, &table);
                for col in &c.columns {
                    deps.add(&id, &ObjectId::Column(t.name.clone(), col.clone()));
                }
                if let Some(target) = &c.references {
                    deps.add(&id, &ObjectId::Table(target.clone()));
                }
            }
            for i in t.indexes.keys() {
                deps.add(&ObjectId::Index(t.name.clone(), i.clone()), &table);
            }
            for n in t.triggers.keys() {
                deps.add(&ObjectId::Trigger(t.name.clone(), n.clone()), &table);
            }
            for n in t.policies.keys() {
                deps.add(&ObjectId::Policy(t.name.clone(), n.clone()), &table);
            }
        }
        self.dependencies = deps;
    }
}
