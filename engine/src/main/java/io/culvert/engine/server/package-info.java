/** The OpenVPN server: per-client sessions, the instance table with its stateless handshake start, and the runner with its sockets and device. */
package io.culvert.engine.server;
