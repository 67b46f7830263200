-- Roles for CommentService on the primary (psql -v app_password=… -v owner_password=… -v replicator_password=… -f roles.sql).
-- comments_owner owns the schema: the migration Job connects as it (DDL).
-- comments_app is what the serving pods use: rows only, no DDL, so a pod can never change the schema.
-- replicator streams WAL to the standby.
CREATE ROLE comments_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE comments_app LOGIN PASSWORD :'app_password';
CREATE ROLE replicator LOGIN REPLICATION PASSWORD :'replicator_password';

CREATE DATABASE comments OWNER comments_owner ENCODING 'UTF8' TEMPLATE template0;
\connect comments
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO comments_owner;
GRANT USAGE ON SCHEMA public TO comments_app;
-- Tables and sequences the migrations create later are usable by the app at once.
ALTER DEFAULT PRIVILEGES FOR ROLE comments_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO comments_app;
ALTER DEFAULT PRIVILEGES FOR ROLE comments_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO comments_app;
