/**
 * Managed servers for the server manager: the server config written from a spec and edited in place (with a backup),
 * the PKI of each server (issue, export, revoke), per-client ccd files, and each running server's log.
 */
package io.culvert.engine.serveradmin;
