-- Fleet, schema 4, PostgreSQL only (ADR 0056): traffic a server's client sent out through that server's device to an
-- address inside another fleet server's pool, per (client, destination address), replaced whole by each roll-up like
-- fleet_flow. The admin's topology draws it as an edge to the client on the other server that holds the address.

CREATE TABLE fleet_remote_flow (
    server_id    BIGINT  NOT NULL REFERENCES fleet_server (id) ON DELETE CASCADE,
    source       INTEGER NOT NULL,      -- a peer-id on that server
    destination  TEXT    NOT NULL,      -- an IPv4 address inside another server's pool
    packets      BIGINT  NOT NULL,
    bytes        BIGINT  NOT NULL,
    PRIMARY KEY (server_id, source, destination)
);
