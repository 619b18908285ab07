-- partition_list_remove_partition: LIST partitioned table loses a partition; multi-value and NULL list bounds
CREATE TABLE customers_by_region (
    id integer NOT NULL,
    region text NOT NULL,
    name text
) PARTITION BY LIST (region);

CREATE TABLE customers_eu PARTITION OF customers_by_region FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE customers_us PARTITION OF customers_by_region FOR VALUES IN ('us');
CREATE TABLE customers_null PARTITION OF customers_by_region FOR VALUES IN (NULL);
