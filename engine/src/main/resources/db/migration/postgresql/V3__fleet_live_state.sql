-- Fleet, schema 3, PostgreSQL only (ADR 0048): what each server reports of its live state (instances and per-pair
-- flow counters, replaced whole by each roll-up), the fleet's clients with their routes (announced on the channel
-- culvert_client when changed), and the fleet's CA certificate with the certificates it issued. The CA's private key
-- never enters the database (see ADR 0054).

CREATE TABLE fleet_instance (
    server_id        BIGINT NOT NULL REFERENCES fleet_server (id) ON DELETE CASCADE,
    peer_id          INTEGER NOT NULL,
    common_name      TEXT   NOT NULL,
    real_address     TEXT   NOT NULL,
    virtual_address  TEXT   NOT NULL,   -- comma-separated, may be empty
    connected_at     BIGINT NOT NULL,
    bytes_in         BIGINT NOT NULL,
    bytes_out        BIGINT NOT NULL,
    PRIMARY KEY (server_id, peer_id)
);

CREATE TABLE fleet_flow (
    server_id    BIGINT  NOT NULL REFERENCES fleet_server (id) ON DELETE CASCADE,
    source       INTEGER NOT NULL,      -- a peer-id on that server, or -1 for the server
    destination  INTEGER NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('UNICAST_VIA_SERVER', 'CLIENT_TO_CLIENT', 'BROADCAST', 'DENIED')),
    packets      BIGINT  NOT NULL,
    bytes        BIGINT  NOT NULL,
    PRIMARY KEY (server_id, source, destination, kind)
);

-- When a server last rolled up its live state (the topology shows how fresh each server's part is).
ALTER TABLE fleet_server ADD COLUMN reported_at BIGINT NOT NULL DEFAULT 0;

CREATE TABLE fleet_client (
    common_name  TEXT   COLLATE "C" PRIMARY KEY,
    routes       TEXT   NOT NULL DEFAULT '',   -- one CIDR per line: networks pushed to the client as routes
    changed_at   BIGINT NOT NULL
);

CREATE FUNCTION fleet_client_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('culvert_client', NEW.common_name);
    RETURN NEW;
END
$$;

CREATE TRIGGER fleet_client_notify AFTER INSERT OR UPDATE ON fleet_client
    FOR EACH ROW EXECUTE FUNCTION fleet_client_notify();

CREATE TABLE fleet_ca (
    id           SMALLINT PRIMARY KEY CHECK (id = 1),
    certificate  TEXT   NOT NULL,    -- PEM
    created_at   BIGINT NOT NULL
);

CREATE TABLE fleet_certificate (
    serial       TEXT   COLLATE "C" PRIMARY KEY,   -- lower-case hex, no leading zeros
    common_name  TEXT   NOT NULL,
    issued_at    BIGINT NOT NULL,
    not_after    BIGINT NOT NULL,
    certificate  TEXT   NOT NULL     -- PEM
);
