#[pgshift(table = "accounts")]
pub struct Account {
    #[pgshift(primary_key)]
    pub id: i64,
    pub balance: Money,
}
