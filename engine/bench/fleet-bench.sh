#!/usr/bin/env bash
# Fleet benchmark: one PostgreSQL (Debian's packages, started in a temp folder as an unprivileged user, with
# pg_stat_statements) and N fleet servers (Culvert servers in child JVMs joined as `culvert server --fleet` joins, on
# loopback, no root) with C in-process Culvert clients in all (default 2 servers, 200 clients). Prints the database
# load per server (statements/s, transactions/s, rows written/s over a 30 s window), the revocation propagation time
# over 20 revokes (median and max, commit to each server enforcing it) and each server's RSS.
# Usage: engine/bench/fleet-bench.sh [--servers N] [--clients N] [--revokes N] [--window SECONDS]
exec "$(dirname "$0")/run-main.sh" FleetBenchmark "$@"
