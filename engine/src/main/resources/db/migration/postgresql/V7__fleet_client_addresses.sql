-- Fleet, schema 7, PostgreSQL only: a client's static address on a server (the fleet's ifconfig-push), one per
-- client and server, inside that server's pool (checked when set). Pools never overlap, so an address names one
-- server; unique per server. A change touches the client's fleet_client row, whose trigger announces it on
-- culvert_client like a route change.

CREATE TABLE fleet_client_address (
    common_name  TEXT   COLLATE "C" NOT NULL REFERENCES fleet_client (common_name) ON DELETE CASCADE,
    server_id    BIGINT NOT NULL REFERENCES fleet_server (id) ON DELETE CASCADE,
    address      INET   NOT NULL,
    PRIMARY KEY (common_name, server_id),
    UNIQUE (server_id, address)
);
