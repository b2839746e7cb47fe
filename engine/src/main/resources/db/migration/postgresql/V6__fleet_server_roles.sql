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

ALTER TABLE fleet_server ENABLE ROW LEVEL SECURITY;
CREATE POLICY fleet_server_read ON fleet_server FOR SELECT USING (true);
CREATE POLICY fleet_server_insert ON fleet_server FOR INSERT WITH CHECK (name = fleet_own_server());
CREATE POLICY fleet_server_update ON fleet_server FOR UPDATE USING (name = fleet_own_server())
    WITH CHECK (name = fleet_own_server());
CREATE POLICY fleet_server_delete ON fleet_server FOR DELETE USING (name = fleet_own_server());

ALTER TABLE fleet_pool ENABLE ROW LEVEL SECURITY;
CREATE POLICY fleet_pool_read ON fleet_pool FOR SELECT USING (true);
CREATE POLICY fleet_pool_insert ON fleet_pool FOR INSERT WITH CHECK (server_id = fleet_own_server_id());
CREATE POLICY fleet_pool_update ON fleet_pool FOR UPDATE USING (server_id = fleet_own_server_id())
    WITH CHECK (server_id = fleet_own_server_id());
CREATE POLICY fleet_pool_delete ON fleet_pool FOR DELETE USING (server_id = fleet_own_server_id());

ALTER TABLE fleet_instance ENABLE ROW LEVEL SECURITY;
CREATE POLICY fleet_instance_read ON fleet_instance FOR SELECT USING (true);
CREATE POLICY fleet_instance_insert ON fleet_instance FOR INSERT WITH CHECK (server_id = fleet_own_server_id());
CREATE POLICY fleet_instance_update ON fleet_instance FOR UPDATE USING (server_id = fleet_own_server_id())
    WITH CHECK (server_id = fleet_own_server_id());
CREATE POLICY fleet_instance_delete ON fleet_instance FOR DELETE USING (server_id = fleet_own_server_id());

ALTER TABLE fleet_flow ENABLE ROW LEVEL SECURITY;
CREATE POLICY fleet_flow_read ON fleet_flow FOR SELECT USING (true);
CREATE POLICY fleet_flow_insert ON fleet_flow FOR INSERT WITH CHECK (server_id = fleet_own_server_id());
CREATE POLICY fleet_flow_update ON fleet_flow FOR UPDATE USING (server_id = fleet_own_server_id())
    WITH CHECK (server_id = fleet_own_server_id());
CREATE POLICY fleet_flow_delete ON fleet_flow FOR DELETE USING (server_id = fleet_own_server_id());

ALTER TABLE fleet_remote_flow ENABLE ROW LEVEL SECURITY;
CREATE POLICY fleet_remote_flow_read ON fleet_remote_flow FOR SELECT USING (true);
CREATE POLICY fleet_remote_flow_insert ON fleet_remote_flow FOR INSERT WITH CHECK (server_id = fleet_own_server_id());
CREATE POLICY fleet_remote_flow_update ON fleet_remote_flow FOR UPDATE USING (server_id = fleet_own_server_id())
    WITH CHECK (server_id = fleet_own_server_id());
CREATE POLICY fleet_remote_flow_delete ON fleet_remote_flow FOR DELETE USING (server_id = fleet_own_server_id());
