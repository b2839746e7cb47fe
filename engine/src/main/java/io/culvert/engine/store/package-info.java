/** The local SQLite store: profiles, saved credentials, servers with their issued certificates, connection history and settings, one repository per aggregate; no SQL lives outside this package. */
package io.culvert.engine.store;
