/** TLS for the control channel: a JSSE {@code SSLEngine} driven over byte arrays, PEM loading and OpenVPN's certificate checks. */
package io.culvert.engine.tls;
