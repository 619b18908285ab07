-- long-identifier fires on this schema.
CREATE TABLE customer_subscription_invoice_line_item_adjustments_history_arc (id bigint PRIMARY KEY);

