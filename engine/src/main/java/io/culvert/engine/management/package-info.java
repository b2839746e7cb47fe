/** An OpenVPN-compatible management interface (TCP on loopback or a Unix socket) fed by engine events. */
package io.culvert.engine.management;
