/**
 * OpenVPN's TCP stream in binary WebSocket messages (RFC 6455; ADR 0042): a strict, bounded frame codec without I/O,
 * the HTTP/1.1 upgrade on both ends, and the transport that carries length-prefixed packets over it.
 */
package io.culvert.engine.transport.websocket;
