-- The two database roles Tollgate runs with (docs/operations.md, "Database roles"). Run once, as a
-- superuser or the database's administrator, before the first start; then put both users' passwords in
-- the Secret tollgate-db (secret.example.yaml). A managed PostgreSQL (or CloudNativePG's bootstrap
-- SQL) can run the same statements.
create role tollgate_owner login password 'CHANGE_ME';  -- owns Tollgate's tables, runs the migrations
create role tollgate login password 'CHANGE_ME';        -- the application: owns none of Tollgate's tables
create database tollgate owner tollgate_owner;
\c tollgate
-- KIE (the workflow engine) creates its own tables as the runtime user at start-up.
grant usage, create on schema public to tollgate;
