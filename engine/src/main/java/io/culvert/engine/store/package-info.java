/** The store, on a local SQLite file or on PostgreSQL for a fleet (ADR 0048): profiles, saved credentials, servers with their issued certificates, connection history and settings, one repository per aggregate; no SQL lives outside this package. */
package io.culvert.engine.store;
