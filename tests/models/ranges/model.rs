//! Range types in a Rust model (tests/models.rs `rust_models_declare_range_types`);
//! schema.sql states the same in SQL.

/// Opening hours, closed-open.
#[pgshift(range, schema = "public", subtype = "time")]
pub struct OpeningHours;

#[pgshift(range = "Price Band", subtype = "numeric", multirange_type_name = "Price Bands")]
pub struct PriceBand;

#[pgshift(range = "floatrange", subtype = "double precision", subtype_diff = "float8mi")]
pub struct FloatRange;

#[pgshift(range = "label_range", subtype = "text", collation = "\"C\"",
          comment = "labels, byte order")]
pub struct LabelRange;

#[pgshift(table)]
pub struct Stores {
    #[pgshift(primary_key)]
    pub id: i64,
    pub hours: OpeningHours,
    pub late_hours: Option<OpeningHours>,
    pub bands: Vec<PriceBand>,
    pub weights: Option<FloatRange>,
    #[pgshift(type = "\"Price Bands\"")]
    pub band_set: Option<String>,
    pub label: Option<crate::LabelRange>,
}
