/** OpenVPN 2.6 crypto primitives: static keys, control-channel wrapping, key derivation and data-channel ciphers. */
package io.culvert.engine.crypto;
