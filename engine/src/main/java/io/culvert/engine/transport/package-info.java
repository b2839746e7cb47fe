/** Link transports carrying OpenVPN packets: UDP datagrams and TCP with 16-bit length framing. */
package io.culvert.engine.transport;
