-- Run once by the postgres image when its data volume is new (compose.yaml). The application connects
-- as this role: it may log in, owns nothing and bypasses nothing, so row-level security binds it.
-- `finsam migrate`, run as the owner (POSTGRES_USER), grants it what it needs on the tables.
CREATE ROLE finsam_app LOGIN PASSWORD 'finsam_app' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
