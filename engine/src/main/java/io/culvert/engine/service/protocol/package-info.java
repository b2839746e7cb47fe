/** The culvertd socket protocol (docs/protocol.md): a tiny bounded JSON codec, newline framing and the message vocabulary. */
package io.culvert.engine.service.protocol;
