/**
 * culvertd's wire contract (docs/protocol.md), shared by the service and {@code engine.remote}: the typed messages
 * ({@link io.culvert.engine.daemon.protocol.ToService}, {@link io.culvert.engine.daemon.protocol.ToClient}, with their
 * {@link io.culvert.engine.daemon.protocol.Operation}s and {@link io.culvert.engine.daemon.protocol.Result}s), the one
 * codec between them and a line ({@link io.culvert.engine.daemon.protocol.MessageCodec}), the tiny bounded JSON it
 * rests on, and newline framing. Knows nothing of the service or of sockets.
 */
package io.culvert.engine.daemon.protocol;
