/** Sans-I/O codecs for the OpenVPN 2.6 wire formats: control packets, key-method-2, control messages, push replies, compression framing and data-channel magic payloads. */
package io.culvert.engine.protocol;
