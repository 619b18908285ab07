INSERT INTO members (legacy_id, uuid, email) VALUES (3, '6f1c1d1e-0000-4000-8000-000000000003', 'c@x');
