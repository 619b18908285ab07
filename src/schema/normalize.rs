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
        // Each owner is interned once and its members linked to it by index: a schema of
        // 10,000 tables has some 150,000 of these edges.
        let mut schemas: BTreeMap<Name, u32> = BTreeMap::new();
        let mut schema_of = |deps: &mut Dependencies, s: &Name| -> u32 {
            if let Some(&at) = schemas.get(s) {
                return at;
            }
            let at = deps.intern(ObjectId::Schema(s.clone()));
            schemas.insert(s.clone(), at);
            at
        };
        // `id`, interned, needs `owner`.
        let member = |deps: &mut Dependencies, id: ObjectId, owner: u32| {
            let d = deps.intern(id);
            deps.add_at(d, owner);
        };
        for e in self.extensions.values() {
            let (d, n) = (
                deps.intern(ObjectId::Extension(e.name.clone())),
                schema_of(&mut deps, &e.schema),
            );
            deps.add_at(d, n);
        }
        for name in self
            .enums
            .keys()
            .chain(self.domains.keys())
            .chain(self.composites.keys())
            .chain(self.ranges.keys())
        {
            let (d, n) = (
                deps.intern(ObjectId::Type(name.clone())),
                schema_of(&mut deps, &name.schema),
            );
            deps.add_at(d, n);
        }
        for name in self.sequences.keys() {
            let (d, n) = (
                deps.intern(ObjectId::Sequence(name.clone())),
                schema_of(&mut deps, &name.schema),
            );
            deps.add_at(d, n);
        }
        for key in self.functions.keys() {
            let (d, n) = (
                deps.intern(ObjectId::Function(key.clone())),
                schema_of(&mut deps, &key.schema),
            );
            deps.add_at(d, n);
        }
        for s in self.statistics.values() {
            let stat = deps.intern(ObjectId::Statistics(s.name.clone()));
            let (schema, table) = (
                schema_of(&mut deps, &s.name.schema),
                deps.intern(ObjectId::Table(s.table.clone())),
            );
            deps.add_at(stat, schema);
            deps.add_at(stat, table);
        }
        for v in self.views.values() {
            let view = deps.intern(ObjectId::View(v.name.clone()));
            let schema = schema_of(&mut deps, &v.name.schema);
            deps.add_at(view, schema);
            for i in v.indexes.keys() {
                member(&mut deps, ObjectId::Index(v.name.clone(), i.clone()), view);
            }
            for n in v.triggers.keys() {
                member(
                    &mut deps,
                    ObjectId::Trigger(v.name.clone(), n.clone()),
                    view,
                );
            }
        }
        for t in self.tables.values() {
            let table = deps.intern(ObjectId::Table(t.name.clone()));
            let schema = schema_of(&mut deps, &t.name.schema);
            deps.add_at(table, schema);
            if let Some(p) = &t.partition_of {
                let parent = deps.intern(ObjectId::Table(p.parent.clone()));
                deps.add_at(table, parent);
            }
            for c in &t.columns {
                member(
                    &mut deps,
                    ObjectId::Column(t.name.clone(), c.name.clone()),
                    table,
                );
            }
            for c in t.constraints.values() {
                let id = deps.intern(ObjectId::Constraint(t.name.clone(), c.name.clone()));
                deps.add_at(id, table);
                for col in &c.columns {
                    let column = deps.intern(ObjectId::Column(t.name.clone(), col.clone()));
                    deps.add_at(id, column);
                }
                if let Some(target) = &c.references {
                    let target = deps.intern(ObjectId::Table(target.clone()));
                    deps.add_at(id, target);
                }
            }
            for i in t.indexes.keys() {
                member(&mut deps, ObjectId::Index(t.name.clone(), i.clone()), table);
            }
            for n in t.triggers.keys() {
                member(
                    &mut deps,
                    ObjectId::Trigger(t.name.clone(), n.clone()),
                    table,
                );
            }
            for n in t.policies.keys() {
                member(
                    &mut deps,
                    ObjectId::Policy(t.name.clone(), n.clone()),
                    table,
                );
            }
        }
        self.dependencies = deps;
    }
}
