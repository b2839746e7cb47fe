/** Proxy steps in front of a transport: HTTP CONNECT and SOCKS5 handshakes that hand back a tunnelled socket. */
package io.culvert.engine.transport.proxy;
