//! The shop schema as plain structs with pgshift attributes (no ORM). Doc comments on
//! these structs would become PostgreSQL comments; the shop has none, to match the SQL.

#[pgshift(enum = "order_status")]
pub enum OrderStatus {
    Pending,
    Paid,
    Shipped,
    Cancelled,
}

#[pgshift(table = "customers")]
#[pgshift(index(name = "customers_lower_email_idx", expr = "lower(email)"))]
pub struct Customer {
    #[pgshift(primary_key, auto_increment)]
    pub id: i32,
    #[pgshift(type = "varchar(255)", unique)]
    pub email: String,
    #[pgshift(type = "text")]
    pub name: String,
    #[pgshift(default = "now()")]
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[pgshift(table = "products")]
pub struct Product {
    #[pgshift(primary_key, auto_increment)]
    pub id: i64,
    #[pgshift(type = "varchar(32)", unique)]
    pub sku: String,
    #[pgshift(type = "text")]
    pub title: String,
    #[pgshift(type = "numeric(10,2)", default = "0", check = "price >= 0")]
    pub price: rust_decimal::Decimal,
    #[pgshift(type = "jsonb", index(method = "gin"))]
    pub attributes: Option<serde_json::Value>,
    #[pgshift(default = "true")]
    pub active: bool,
}

#[pgshift(table = "orders")]
#[pgshift(index(columns = "status, placed_at"))]
#[pgshift(index(name = "orders_open_idx", columns = "placed_at", predicate = "status = 'pending'"))]
pub struct Order {
    #[pgshift(primary_key, auto_increment)]
    pub id: i32,
    #[pgshift(index, references = "customers(id)", on_delete = "cascade", on_update = "cascade")]
    pub customer_id: i32,
    #[pgshift(default = "'pending'")]
    pub status: OrderStatus,
    #[pgshift(type = "text")]
    pub note: Option<String>,
    #[pgshift(default = "CURRENT_TIMESTAMP")]
    pub placed_at: chrono::NaiveDateTime,
    pub shipped_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[pgshift(table = "order_items")]
pub struct OrderItem {
    #[pgshift(primary_key, references = "orders(id)", on_delete = "cascade")]
    pub order_id: i32,
    #[pgshift(primary_key, references = "products(id)", on_delete = "restrict")]
    pub product_id: i64,
    #[pgshift(default = "1", check = "quantity > 0")]
    pub quantity: i32,
    #[pgshift(type = "numeric(10,2)")]
    pub unit_price: rust_decimal::Decimal,
}
