/** The control-channel reliability layer (message ids, ACKs, windows, retransmission) as a clock-driven state machine without I/O. */
package io.culvert.engine.protocol.reliable;
