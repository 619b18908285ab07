//! Introspection of a live database: a fixed set of bulk catalog queries (see `queries`),
//! assembled into the IR in memory. The number of round trips does not grow with the
//! number of objects.

pub(crate) mod citus;
// Its macros (`user_namespace!`, `not_extension_member!`) serve the modules below.
#[macro_use]
mod queries;
mod kinds;
mod privileges;

use crate::error::{Error, Result};
use crate::schema::*;
use postgres::{Client, Row};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// What to read.
#[derive(Clone, Debug)]
pub struct IntrospectOptions {
    /// Only these schemas; all user schemas when empty.
    pub schemas: Vec<String>,
    /// Objects left out (see `source::exclude`).
    pub exclude: crate::source::Exclude,
}

/// Every user schema; the version tables of pgshift and the common migration tools left
/// out.
impl Default for IntrospectOptions {
    fn default() -> Self {
        IntrospectOptions {
            schemas: vec![],
            exclude: crate::source::Exclude::with_tools([]),
        }
    }
}

impl IntrospectOptions {
    /// The defaults, with `patterns` left out too.
    pub fn excluding(patterns: &[String]) -> IntrospectOptions {
        IntrospectOptions {
            schemas: vec![],
            exclude: crate::source::Exclude::with_tools(patterns.iter().cloned()),
        }
    }
}

/// Reads the schema of the database `client` is connected to. `target` names the database
/// in error messages (never with a password).
pub fn introspect(client: &mut Client, opts: &IntrospectOptions, target: &str) -> Result<Schema> {
    let mut schema = read(client, opts, target)?;
    schema.privileges.normalize_database();
    Ok(schema)
}

/// Reads a model built in a scratch database: its privileges are what the model states
/// (an explicit ACL is kept even when it equals the default: `REVOKE ALL ON t FROM app`
/// states that `app` has nothing), and nothing else is managed.
pub fn introspect_model(
    client: &mut Client,
    opts: &IntrospectOptions,
    target: &str,
) -> Result<Schema> {
    let mut schema = read(client, opts, target)?;
    schema.privileges.declared = true;
    schema.privileges.roles = None;
    schema.privileges.database_owner = None;
    Ok(schema)
}

fn read(client: &mut Client, opts: &IntrospectOptions, target: &str) -> Result<Schema> {
    let db_err = |what: &str| {
        let what = what.to_string();
        let target = target.to_string();
        move |e: postgres::Error| Error::Database {
            what: format!("introspection ({what})"),
            target: target.clone(),
            reason: crate::source::describe_pg_error(&e),
        }
    };
    let filter: Option<Vec<String>> = (!opts.schemas.is_empty()).then(|| opts.schemas.clone());
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(db_err("begin"))?;
    // With an empty search_path every name of a user object prints schema-qualified.
    tx.batch_execute("SET LOCAL search_path = ''")
        .map_err(db_err("search_path"))?;
    let mut run = |name: &str, sql: &str, with_filter: bool| -> Result<Vec<Row>> {
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
            if with_filter { vec![&filter] } else { vec![] };
        tx.query(sql, &params).map_err(db_err(name))
    };
    let rows = Rows {
        namespaces: run("schemas", queries::NAMESPACES, true)?,
        extensions: run("extensions", queries::EXTENSIONS, false)?,
        extension_members: run("extension members", queries::EXTENSION_MEMBERS, false)?,
        types: run("types", queries::TYPES, true)?,
        domain_checks: run("domain checks", queries::DOMAIN_CHECKS, true)?,
        ranges: run("range types", queries::RANGES, true)?,
        statistics: run("statistics objects", queries::STATISTICS, true)?,
        relations: run("relations", queries::RELATIONS, true)?,
        columns: run("columns", queries::COLUMNS, true)?,
        sequences: run("sequences", queries::SEQUENCES, true)?,
        constraints: run("constraints", queries::CONSTRAINTS, true)?,
        indexes: run("indexes", queries::INDEXES, true)?,
        functions: run("functions", queries::FUNCTIONS, true)?,
        triggers: run("triggers", queries::TRIGGERS, true)?,
        policies: run("policies", queries::POLICIES, true)?,
        comments: run("comments", queries::COMMENTS, false)?,
        dependencies: run("dependencies", queries::DEPENDENCIES, false)?,
        unsupported: run("unsupported objects", queries::UNSUPPORTED, true)?,
        acls: run("privileges", privileges::ACLS, true)?,
        default_acls: run("default privileges", privileges::DEFAULT_ACLS, true)?,
        roles: run("roles", privileges::ROLES, false)?,
    };
    let mut schema = assemble(rows);
    citus::read(&mut tx, &mut schema).map_err(db_err("Citus placements"))?;
    tx.commit().map_err(db_err("commit"))?;
    opts.exclude.apply(&mut schema);
    crate::schema::privileges::retain_existing(&mut schema);
    Ok(schema)
}

/// The raw answers of the catalog queries.
struct Rows {
    namespaces: Vec<Row>,
    extensions: Vec<Row>,
    extension_members: Vec<Row>,
    types: Vec<Row>,
    domain_checks: Vec<Row>,
    ranges: Vec<Row>,
    statistics: Vec<Row>,
    relations: Vec<Row>,
    columns: Vec<Row>,
    sequences: Vec<Row>,
    constraints: Vec<Row>,
    indexes: Vec<Row>,
    functions: Vec<Row>,
    triggers: Vec<Row>,
    policies: Vec<Row>,
    comments: Vec<Row>,
    dependencies: Vec<Row>,
    unsupported: Vec<Row>,
    acls: Vec<Row>,
    default_acls: Vec<Row>,
    roles: Vec<Row>,
}

/// A relation by OID, as the later queries refer to it.
#[derive(Clone)]
enum Rel {
    Table(QualifiedName),
    View(QualifiedName),
    Sequence(QualifiedName),
    Composite(QualifiedName),
}

type Oid = u32;

/// Comments by catalog, then (object OID, sub-id). Asked about every object, so a lookup
/// allocates nothing.
struct Comments(FxHashMap<String, FxHashMap<(Oid, i32), String>>);

impl Comments {
    fn take(&mut self, catalog: &str, oid: Oid, sub: i32) -> Option<String> {
        self.0.get_mut(catalog)?.remove(&(oid, sub))
    }
}

/// Maps catalog OIDs to the IR's object ids, for dependencies. Each object is interned in
/// the dependency graph as it is read, so an edge from `pg_depend` is two lookups by OID
/// and no name is copied or hashed again.
#[derive(Default)]
struct OidMap {
    /// (catalog name, oid, sub-id) -> the object's index in `graph`
    objects: FxHashMap<(&'static str, Oid, i32), u32>,
    /// Objects that belong to an extension: catalog -> oid -> extension name.
    extension_members: FxHashMap<String, FxHashMap<Oid, String>>,
    graph: Dependencies,
}

impl OidMap {
    fn insert(&mut self, catalog: &'static str, oid: Oid, sub: i32, id: ObjectId) {
        let at = self.graph.intern(id);
        self.objects.insert((catalog, oid, sub), at);
    }

    fn get(&self, catalog: &'static str, oid: Oid, sub: i32) -> Option<&ObjectId> {
        self.objects
            .get(&(catalog, oid, sub))
            .map(|&at| self.graph.id(at))
    }

    /// The names of columns `attnums` of relation `relid`, in that order; numbers that name
    /// no column (0, an expression's place in an exclusion constraint) are left out.
    fn column_names(&self, relid: Oid, attnums: Option<Vec<i16>>) -> Vec<Name> {
        attnums
            .unwrap_or_default()
            .into_iter()
            .filter_map(|n| match self.get("pg_class", relid, n.into()) {
                Some(ObjectId::Column(_, name)) => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// The graph index of what `pg_depend` names by catalog, OID and sub-id.
    fn resolve(&mut self, catalog: &str, oid: Oid, sub: i32) -> Option<u32> {
        let key = |c: &'static str| (c, oid, sub);
        let found = match catalog {
            "pg_class" => self
                .objects
                .get(&key("pg_class"))
                // A dependency on a whole relation's column set reads as the relation.
                .or_else(|| self.objects.get(&("pg_class", oid, 0))),
            "pg_type" => self.objects.get(&key("pg_type")),
            "pg_proc" => self.objects.get(&key("pg_proc")),
            "pg_constraint" => self.objects.get(&key("pg_constraint")),
            "pg_namespace" => self.objects.get(&key("pg_namespace")),
            "pg_trigger" => self.objects.get(&key("pg_trigger")),
            "pg_policy" => self.objects.get(&key("pg_policy")),
            "pg_extension" => self.objects.get(&key("pg_extension")),
            "pg_statistic_ext" => self.objects.get(&key("pg_statistic_ext")),
            _ => None,
        };
        if let Some(&at) = found {
            return Some(at);
        }
        let extension = self.extension_members.get(catalog)?.get(&oid)?;
        Some(self.graph.intern(ObjectId::Extension(extension.into())))
    }
}

/// `relreplident` and the index marked `indisreplident`, if any.
fn replica_identity(kind: &str, index: Option<String>) -> ReplicaIdentity {
    match (kind, index) {
        ("f", _) => ReplicaIdentity::Full,
        ("n", _) => ReplicaIdentity::Nothing,
        ("i", Some(index)) => ReplicaIdentity::Index(index.into()),
        _ => ReplicaIdentity::Default,
    }
}

/// Column `i` of `r`, an identifier, as the schema model holds it.
fn name_at(r: &Row, i: usize) -> Name {
    r.get::<_, &str>(i).into()
}

fn assemble(mut rows: Rows) -> Schema {
    // One id per catalog object (a column, a constraint, ...): sized once, not grown.
    let objects = rows.relations.len()
        + rows.columns.len()
        + rows.constraints.len()
        + rows.indexes.len()
        + 2 * rows.types.len()
        + rows.functions.len()
        + rows.triggers.len()
        + rows.policies.len()
        + rows.namespaces.len()
        + rows.extensions.len();
    let mut schema = Schema::default();
    let mut oids = OidMap {
        objects: FxHashMap::with_capacity_and_hasher(objects, Default::default()),
        extension_members: FxHashMap::default(),
        graph: Dependencies::with_capacity(objects),
    };
    let mut comments = Comments(FxHashMap::default());
    for r in &rows.comments {
        comments
            .0
            .entry(r.get::<_, String>(0))
            .or_default()
            .insert((r.get(1), r.get(2)), r.get(3));
    }

    for r in &rows.namespaces {
        let (oid, name): (Oid, Name) = (r.get(0), name_at(r, 1));
        oids.insert("pg_namespace", oid, 0, ObjectId::Schema(name.clone()));
        let comment = comments.take("pg_namespace", oid, 0);
        schema
            .schemas
            .insert(name.clone(), Namespace { name, comment });
    }
    for r in &rows.extensions {
        let (oid, name, ns): (Oid, Name, Name) = (r.get(0), name_at(r, 1), name_at(r, 2));
        oids.insert("pg_extension", oid, 0, ObjectId::Extension(name.clone()));
        schema.extensions.insert(
            name.clone(),
            Extension {
                name,
                schema: ns,
                fixed_schema: r.get(3),
            },
        );
    }
    for r in &rows.extension_members {
        oids.extension_members
            .entry(r.get::<_, String>(0))
            .or_default()
            .insert(r.get(1), r.get(2));
    }

    let composite_rels = assemble_types(&rows, &mut schema, &mut oids, &mut comments);
    kinds::assemble_ranges(&rows, &mut schema, &mut oids, &mut comments);
    let rels = assemble_relations(
        &rows,
        &mut schema,
        &mut oids,
        &mut comments,
        &composite_rels,
    );
    // Each kind of row is freed once assembled, so that the schema grows into the memory
    // its rows held: at 10,000 tables the rows take about as much as the schema.
    rows.relations = vec![];
    assemble_columns(&rows, &mut schema, &mut oids, &mut comments, &rels);
    rows.columns = vec![];
    assemble_sequences(&rows, &mut schema, &oids, &rels, &mut comments);
    assemble_constraints(&rows, &mut schema, &mut oids, &mut comments, &rels);
    rows.constraints = vec![];
    assemble_indexes(&rows, &mut schema, &mut oids, &mut comments, &rels);
    rows.indexes = vec![];
    assemble_functions(&rows, &mut schema, &mut oids, &mut comments);
    assemble_triggers_and_policies(&rows, &mut schema, &mut oids, &mut comments, &rels);
    kinds::assemble_statistics(&rows, &mut schema, &mut oids, &mut comments, &rels);

    for r in &rows.unsupported {
        schema.unsupported.push(Unsupported {
            kind: r.get(0),
            identity: r.get(1),
        });
    }
    for r in &rows.dependencies {
        let dependent = oids.resolve(r.get::<_, &str>(0), r.get(1), r.get(2));
        let needs = oids.resolve(r.get::<_, &str>(3), r.get(4), r.get(5));
        if let (Some(dependent), Some(needs)) = (dependent, needs) {
            // A sequence OWNED BY a column is dropped with it, but the column's default
            // needs the sequence: the ownership is its own step, not an ordering edge.
            let ownership = matches!(oids.graph.id(dependent), ObjectId::Sequence(_))
                && matches!(
                    oids.graph.id(needs),
                    ObjectId::Column(..) | ObjectId::Table(_)
                );
            if !ownership {
                oids.graph.add_at(dependent, needs);
            }
        }
    }
    schema.privileges = privileges::assemble(
        &rows.acls,
        &rows.default_acls,
        &rows.roles,
        |c, oid, sub| oids.get(c, oid, sub).cloned(),
    );
    drop(rows);
    schema.dependencies = oids.graph;
    schema.add_structural_dependencies();
    schema
}

/// Enums, domains, composite types. Returns composite types by their relation OID.
fn assemble_types(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
) -> FxHashMap<Oid, QualifiedName> {
    let mut composite_rels = FxHashMap::default();
    let mut domain_checks: FxHashMap<Oid, BTreeMap<Name, String>> = FxHashMap::default();
    let mut check_comments: FxHashMap<Oid, BTreeMap<Name, String>> = FxHashMap::default();
    for r in &rows.domain_checks {
        let (domain, name): (Oid, Name) = (r.get(0), name_at(r, 1));
        if let Some(c) = comments.take("pg_constraint", r.get(3), 0) {
            check_comments
                .entry(domain)
                .or_default()
                .insert(name.clone(), c);
        }
        domain_checks
            .entry(domain)
            .or_default()
            .insert(name, r.get(2));
    }
    for r in &rows.types {
        let oid: Oid = r.get(0);
        let array_oid: Oid = r.get(1);
        let name = QualifiedName::new(name_at(r, 2), name_at(r, 3));
        let id = ObjectId::Type(name.clone());
        oids.insert("pg_type", oid, 0, id.clone());
        if array_oid != 0 {
            oids.insert("pg_type", array_oid, 0, id.clone());
        }
        let comment = comments.take("pg_type", oid, 0);
        match r.get::<_, String>(4).as_str() {
            "e" => {
                let values: Vec<String> = r.get::<_, Option<Vec<String>>>(10).unwrap_or_default();
                schema.enums.insert(
                    name.clone(),
                    EnumType {
                        name,
                        values,
                        comment,
                    },
                );
            }
            "d" => {
                let domain = Domain {
                    name: name.clone(),
                    base_type: r.get(6),
                    not_null: r.get(7),
                    default: r.get(8),
                    collation: r.get(9),
                    checks: domain_checks.remove(&oid).unwrap_or_default(),
                    check_comments: check_comments.remove(&oid).unwrap_or_default(),
                    comment,
                };
                schema.domains.insert(name, domain);
            }
            _ => {
                let relid: Oid = r.get(5);
                oids.insert("pg_class", relid, 0, id);
                composite_rels.insert(relid, name.clone());
                schema.composites.insert(
                    name.clone(),
                    CompositeType {
                        name,
                        attributes: vec![],
                        comment,
                    },
                );
            }
        }
    }
    composite_rels
}

fn assemble_relations(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    composite_rels: &FxHashMap<Oid, QualifiedName>,
) -> FxHashMap<Oid, Rel> {
    let mut rels = FxHashMap::default();
    let mut parents: Vec<(QualifiedName, Oid, String)> = vec![];
    for r in &rows.relations {
        let oid: Oid = r.get(0);
        let name = QualifiedName::new(name_at(r, 1), name_at(r, 2));
        let kind: String = r.get(3);
        match kind.as_str() {
            "r" | "p" => {
                oids.insert("pg_class", oid, 0, ObjectId::Table(name.clone()));
                if let (Some(parent), Some(bound)) = (r.get::<_, Option<Oid>>(8), r.get(9)) {
                    parents.push((name.clone(), parent, bound));
                }
                let table = Table {
                    name: name.clone(),
                    unlogged: r.get::<_, String>(4) == "u",
                    partition_key: r.get(7),
                    options: r.get(11),
                    partition_of: None,
                    columns: vec![],
                    constraints: BTreeMap::new(),
                    indexes: BTreeMap::new(),
                    triggers: BTreeMap::new(),
                    policies: BTreeMap::new(),
                    row_security: r.get(5),
                    force_row_security: r.get(6),
                    replica_identity: replica_identity(r.get(12), r.get(13)),
                    citus: None,
                    comment: comments.take("pg_class", oid, 0),
                };
                schema.tables.insert(name.clone(), table);
                rels.insert(oid, Rel::Table(name));
            }
            "v" | "m" => {
                oids.insert("pg_class", oid, 0, ObjectId::View(name.clone()));
                let definition: String = r.get(10);
                let view = View {
                    name: name.clone(),
                    materialized: kind == "m",
                    definition: definition.trim().trim_end_matches(';').to_string(),
                    columns: vec![],
                    options: r.get(11),
                    indexes: BTreeMap::new(),
                    triggers: BTreeMap::new(),
                    column_comments: BTreeMap::new(),
                    comment: comments.take("pg_class", oid, 0),
                };
                schema.views.insert(name.clone(), view);
                rels.insert(oid, Rel::View(name));
            }
            "S" => {
                oids.insert("pg_class", oid, 0, ObjectId::Sequence(name.clone()));
                rels.insert(oid, Rel::Sequence(name));
            }
            _ => {
                if let Some(type_name) = composite_rels.get(&oid) {
                    rels.insert(oid, Rel::Composite(type_name.clone()));
                }
            }
        }
    }
    for (name, parent_oid, bound) in parents {
        if let Some(Rel::Table(parent)) = rels.get(&parent_oid) {
            if let Some(t) = schema.tables.get_mut(&name) {
                t.partition_of = Some(PartitionOf {
                    parent: parent.clone(),
                    bound,
                    not_null: vec![],
                });
            }
        }
    }
    rels
}

fn assemble_columns(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    rels: &FxHashMap<Oid, Rel>,
) {
    // Rows come ordered by relation: the table is looked up once for all its columns.
    let mut partition_not_null = vec![];
    let mut current: Option<(Oid, &mut Table)> = None;
    for r in &rows.columns {
        let relid: Oid = r.get(0);
        let attnum: i16 = r.get(1);
        let name = name_at(r, 2);
        let data_type = name_at(r, 3);
        let collation: Option<String> = r.get(8);
        let comment = comments.take("pg_class", relid, attnum.into());
        match rels.get(&relid) {
            Some(Rel::Table(t)) => {
                oids.insert(
                    "pg_class",
                    relid,
                    attnum.into(),
                    ObjectId::Column(t.clone(), name.clone()),
                );
                if current.as_ref().is_none_or(|(oid, _)| *oid != relid) {
                    let table = schema.tables.get_mut(t).expect("relation assembled");
                    current = Some((relid, table));
                }
                let (_, table) = current.as_mut().expect("set above");
                // A partition's columns come from its parent (but a NOT NULL of its own).
                if table.partition_of.is_some() && !r.get::<_, bool>(9) {
                    if r.get::<_, bool>(4) {
                        partition_not_null.push((t.clone(), name));
                    }
                    continue;
                }
                let identity = match r.get::<_, String>(7).as_str() {
                    "a" => Some(true),
                    "d" => Some(false),
                    _ => None,
                };
                table.columns.push(Column {
                    name,
                    data_type,
                    not_null: r.get(4),
                    default: r.get(5),
                    // Options filled in from the identity sequence below.
                    identity: identity.map(|always| Identity {
                        always,
                        sequence: SequenceOptions::default_for("integer"),
                        sequence_name: None,
                    }),
                    generated: r.get(6),
                    collation,
                    storage: r.get::<_, Option<String>>(10).map(|s| {
                        match s.as_str() {
                            "p" => "plain",
                            "e" => "external",
                            "m" => "main",
                            _ => "extended",
                        }
                        .to_string()
                    }),
                    statistics: r.get(11),
                    compression: r
                        .get::<_, Option<String>>(12)
                        .map(|c| if c == "l" { "lz4" } else { "pglz" }.to_string()),
                    volatile_default: r.get(13),
                    comment,
                });
            }
            Some(Rel::View(v)) => {
                oids.insert("pg_class", relid, attnum.into(), ObjectId::View(v.clone()));
                if let Some(view) = schema.views.get_mut(v) {
                    view.columns.push((name.to_string(), data_type.into()));
                    if let Some(c) = comment {
                        view.column_comments.insert(name, c);
                    }
                }
            }
            Some(Rel::Composite(t)) => {
                if let Some(ty) = schema.composites.get_mut(t) {
                    ty.attributes.push(CompositeAttribute {
                        name,
                        data_type: data_type.into(),
                        collation,
                        comment,
                    });
                }
            }
            _ => {}
        }
    }
    kinds::partition_not_null(schema, partition_not_null);
}

fn assemble_sequences(
    rows: &Rows,
    schema: &mut Schema,
    oids: &OidMap,
    rels: &FxHashMap<Oid, Rel>,
    comments: &mut Comments,
) {
    for r in &rows.sequences {
        let relid: Oid = r.get(0);
        let Some(Rel::Sequence(name)) = rels.get(&relid) else {
            continue;
        };
        let options = SequenceOptions {
            data_type: r.get(1),
            start: r.get(2),
            increment: r.get(3),
            min_value: r.get(4),
            max_value: r.get(5),
            cache: r.get(6),
            cycle: r.get(7),
        };
        let owner = match (r.get::<_, Option<Oid>>(8), r.get::<_, Option<i32>>(9)) {
            (Some(table_oid), Some(attnum)) => match oids.get("pg_class", table_oid, attnum) {
                Some(ObjectId::Column(table, column)) => Some((table.clone(), column.clone())),
                _ => None,
            },
            _ => None,
        };
        let deptype: Option<String> = r.get(10);
        if deptype.as_deref() == Some("i") {
            // The sequence behind an identity column: its options belong to the column.
            if let Some((table, column)) = owner {
                let col = schema
                    .tables
                    .get_mut(&table)
                    .and_then(|t| t.columns.iter_mut().find(|c| c.name == column));
                if let Some(identity) = col.and_then(|c| c.identity.as_mut()) {
                    identity.sequence = options;
                    if *name != crate::schema::default_sequence_name(&table, &column) {
                        identity.sequence_name = Some(name.clone());
                    }
                }
            }
            continue;
        }
        let comment = comments.take("pg_class", relid, 0);
        schema.sequences.insert(
            name.clone(),
            Sequence {
                name: name.clone(),
                options,
                owned_by: owner,
                comment,
            },
        );
    }
}

fn assemble_constraints(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    rels: &FxHashMap<Oid, Rel>,
) {
    for r in &rows.constraints {
        let oid: Oid = r.get(0);
        let Some(Rel::Table(t)) = rels.get(&r.get::<_, Oid>(1)) else {
            continue;
        };
        let name = name_at(r, 2);
        let kind = match r.get::<_, String>(3).as_str() {
            "p" => ConstraintKind::PrimaryKey,
            "u" => ConstraintKind::Unique,
            "c" => ConstraintKind::Check,
            "f" => ConstraintKind::ForeignKey,
            _ => ConstraintKind::Exclusion,
        };
        let id = ObjectId::Constraint(t.clone(), name.clone());
        oids.insert("pg_constraint", oid, 0, id.clone());
        let index_oid: Oid = r.get(7);
        if index_oid != 0 && kind != ConstraintKind::ForeignKey {
            // The index behind a primary key, unique or exclusion constraint is the
            // constraint, as far as other objects (foreign keys) are concerned.
            oids.insert("pg_class", index_oid, 0, id);
        }
        let references = match r.get::<_, Option<Oid>>(6).and_then(|o| rels.get(&o)) {
            Some(Rel::Table(target)) => Some(target.clone()),
            _ => None,
        };
        let constraint = Constraint {
            name: name.clone(),
            kind,
            definition: r.get(4),
            columns: oids.column_names(r.get(1), r.get::<_, Option<Vec<i16>>>(5)),
            references,
            comment: comments.take("pg_constraint", oid, 0),
        };
        if let Some(table) = schema.tables.get_mut(t) {
            table.constraints.insert(name, constraint);
        }
    }
}

fn assemble_indexes(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    rels: &FxHashMap<Oid, Rel>,
) {
    for r in &rows.indexes {
        let oid: Oid = r.get(0);
        let name = name_at(r, 2);
        let mut definition: String = r.get(3);
        if let Some(Rel::Table(t)) = rels.get(&r.get::<_, Oid>(1)) {
            if schema
                .tables
                .get(t)
                .is_some_and(|t| t.partition_key.is_some())
            {
                // pg_get_indexdef says `ON ONLY` for a partitioned table's index: as DDL that
                // would build it for the parent alone (invalid until partitions attach);
                // without ONLY it is built on every partition, as intended.
                definition = definition.replacen(" ON ONLY ", " ON ", 1);
            }
        }
        let index = Index {
            name: name.clone(),
            definition,
            unique: r.get(4),
            valid: r.get(5),
            comment: comments.take("pg_class", oid, 0),
        };
        match rels.get(&r.get::<_, Oid>(1)) {
            Some(Rel::Table(t)) => {
                if let Some(names) = r.get::<_, Option<Vec<String>>>(6) {
                    let of_table = schema.index_column_names.0.entry(t.clone()).or_default();
                    of_table.insert(name.clone(), names);
                }
                oids.insert("pg_class", oid, 0, ObjectId::Index(t.clone(), name.clone()));
                if let Some(table) = schema.tables.get_mut(t) {
                    table.indexes.insert(name, index);
                }
            }
            Some(Rel::View(v)) => {
                oids.insert("pg_class", oid, 0, ObjectId::Index(v.clone(), name.clone()));
                if let Some(view) = schema.views.get_mut(v) {
                    view.indexes.insert(name, index);
                }
            }
            _ => {}
        }
    }
}

fn assemble_functions(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
) {
    for r in &rows.functions {
        let oid: Oid = r.get(0);
        let kind = match r.get::<_, String>(3).as_str() {
            "f" => RoutineKind::Function,
            "p" => RoutineKind::Procedure,
            // Aggregates and window functions are reported as unsupported.
            _ => continue,
        };
        let key = FunctionKey {
            schema: r.get::<_, &str>(1).into(),
            name: r.get::<_, &str>(2).into(),
            arguments: r.get(4),
        };
        oids.insert("pg_proc", oid, 0, ObjectId::Function(key.clone()));
        let definition: String = r.get(6);
        let function = Function {
            key: key.clone(),
            kind,
            result: r.get(5),
            definition: definition.trim_end().to_string(),
            comment: comments.take("pg_proc", oid, 0),
        };
        schema.functions.insert(key, function);
    }
}

fn assemble_triggers_and_policies(
    rows: &Rows,
    schema: &mut Schema,
    oids: &mut OidMap,
    comments: &mut Comments,
    rels: &FxHashMap<Oid, Rel>,
) {
    for r in &rows.triggers {
        let oid: Oid = r.get(0);
        let name = name_at(r, 2);
        let firing = match r.get::<_, String>(4).as_str() {
            "D" => Some("disabled".to_string()),
            "R" => Some("replica".to_string()),
            "A" => Some("always".to_string()),
            _ => None,
        };
        let trigger = Trigger {
            name: name.clone(),
            definition: r.get(3),
            firing,
            comment: comments.take("pg_trigger", oid, 0),
        };
        let (relation, triggers) = match rels.get(&r.get::<_, Oid>(1)) {
            Some(Rel::Table(t)) => (t, schema.tables.get_mut(t).map(|t| &mut t.triggers)),
            Some(Rel::View(v)) => (v, schema.views.get_mut(v).map(|v| &mut v.triggers)),
            _ => continue,
        };
        oids.insert(
            "pg_trigger",
            oid,
            0,
            ObjectId::Trigger(relation.clone(), name.clone()),
        );
        if let Some(triggers) = triggers {
            triggers.insert(name, trigger);
        }
    }
    for r in &rows.policies {
        let oid: Oid = r.get(0);
        let Some(Rel::Table(t)) = rels.get(&r.get::<_, Oid>(1)) else {
            continue;
        };
        let name = name_at(r, 2);
        oids.insert(
            "pg_policy",
            oid,
            0,
            ObjectId::Policy(t.clone(), name.clone()),
        );
        let command = match r.get::<_, String>(4).as_str() {
            "r" => "SELECT",
            "a" => "INSERT",
            "w" => "UPDATE",
            "d" => "DELETE",
            _ => "ALL",
        };
        let policy = Policy {
            name: name.clone(),
            permissive: r.get(3),
            command: command.into(),
            roles: r.get(5),
            using: r.get(6),
            with_check: r.get(7),
            comment: comments.take("pg_policy", oid, 0),
        };
        if let Some(table) = schema.tables.get_mut(t) {
            table.policies.insert(name, policy);
        }
    }
}
