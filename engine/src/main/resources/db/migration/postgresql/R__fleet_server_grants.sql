-- Fleet, repeatable (ADR 0058): what a server's role may touch. Flyway re-runs this file whenever it changes, so a
-- migration that adds a fleet table updates the lists below and every existing server role is granted again.
-- Reads: every fleet table and Flyway's history (a server checks the schema is current when it opens the fleet).
-- Writes: only the tables a server reports into, and row-level security (schema 6) limits those to its own rows.

CREATE OR REPLACE FUNCTION fleet_grant_server(role TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('GRANT SELECT ON fleet_server, fleet_pool, fleet_revocation, fleet_instance, fleet_flow, fleet_remote_flow,'
        || ' fleet_client, fleet_client_address, fleet_ca, fleet_certificate, fleet_server_role, flyway_schema_history TO %I', role);
    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON fleet_server, fleet_pool, fleet_instance, fleet_flow, fleet_remote_flow TO %I', role);
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', pg_get_serial_sequence('fleet_server', 'id'), role);
END
$$;

-- Takes back everything fleet_grant_server gave (before the role is dropped).
CREATE OR REPLACE FUNCTION fleet_revoke_server(role TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', role);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', role);
END
$$;

DO $$ BEGIN PERFORM fleet_grant_server(role_name) FROM fleet_server_role; END $$;
