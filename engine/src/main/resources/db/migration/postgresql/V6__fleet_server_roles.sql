-- Fleet, schema 6, PostgreSQL only (ADR 0058): a database role per server, limited to its own rows. Each role is
-- mapped to the one server name it may run as; row-level security lets it read the whole fleet but write only that
-- server's registry row (with the addresses clients dial), pools, live instances and flows (also those to other
-- servers' pools). It gets no write on the revocations, the clients' routes,
-- the CA or the issued certificates, so a broken-into server can neither un-revoke a client nor push another one
-- routes nor forge another server's report. The owner role (the fleet's admins) is not subject to these policies.

CREATE TABLE fleet_server_role (
    role_name    TEXT COLLATE "C" PRIMARY KEY,
    server_name  TEXT COLLATE "C" NOT NULL UNIQUE
);

-- The server the calling role may run as (NULL for a role with no mapping: it can write no fleet row).
CREATE FUNCTION fleet_own_server() RETURNS TEXT LANGUAGE sql STABLE AS
$$ SELECT server_name FROM fleet_server_role WHERE role_name = current_user $$;

CREATE FUNCTION fleet_own_server_id() RETURNS BIGINT LANGUAGE sql STABLE AS
$$ SELECT id FROM fleet_server WHERE name = fleet_own_server() $$;

-- One set of policies per table a server writes: everyone reads every row; a server's role inserts, updates and
-- deletes only rows whose own-server test holds (its name in fleet_server, its id elsewhere).
DO $$
DECLARE
    t RECORD;
BEGIN
    FOR t IN SELECT * FROM (VALUES
            ('fleet_server', 'name = fleet_own_server()'),
            ('fleet_pool', 'server_id = fleet_own_server_id()'),
            ('fleet_instance', 'server_id = fleet_own_server_id()'),
            ('fleet_flow', 'server_id = fleet_own_server_id()'),
            ('fleet_remote_flow', 'server_id = fleet_own_server_id()')) AS x (name, own) LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.name);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (true)', t.name || '_read', t.name);
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (%s)', t.name || '_insert', t.name, t.own);
        EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING (%s) WITH CHECK (%s)', t.name || '_update', t.name, t.own, t.own);
        EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING (%s)', t.name || '_delete', t.name, t.own);
    END LOOP;
END
$$;
