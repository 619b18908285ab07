-- function_used_by_new_default: a new user function is used by a new column default (function must be created first)
CREATE TABLE coupons (
    id integer PRIMARY KEY
);
