use super::sea_orm_active_enums::OrderStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
#[pgshift(index(columns = "status, placed_at"))]
#[pgshift(index(name = "orders_open_idx", columns = "placed_at", predicate = "status = 'pending'"))]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(indexed)]
    pub customer_id: i32,
    #[sea_orm(default_value = "pending")]
    pub status: OrderStatus,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    #[sea_orm(default_expr = "Expr::current_timestamp()")]
    pub placed_at: DateTime,
    pub shipped_at: Option<DateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::customers::Entity",
        from = "Column::CustomerId",
        to = "super::customers::Column::Id",
        on_update = "Cascade",
        on_delete = "Cascade"
    )]
    Customers,
    #[sea_orm(has_many = "super::order_items::Entity")]
    OrderItems,
}

impl ActiveModelBehavior for ActiveModel {}
