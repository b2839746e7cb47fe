-- Fleet, schema 5, PostgreSQL only (ADR 0057): the addresses clients dial to reach each server, as the server
-- registers them at its start (culvert server --fleet-remote, or what its config names). Exported profiles list them
-- as remotes. One "HOST PORT PROTO" per line, in the order given; empty for a server that registered none (one that
-- last ran before this schema: its profile entry falls back to its name).

ALTER TABLE fleet_server ADD COLUMN remotes TEXT NOT NULL DEFAULT '';
