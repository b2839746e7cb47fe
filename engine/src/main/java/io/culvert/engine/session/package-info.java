/** What client and server sessions share: key generations and the control channel that carries TLS over the reliability layer. */
package io.culvert.engine.session;
