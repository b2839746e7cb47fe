/**
 * Every native call of the engine, through the JDK's foreign function API ({@code java.lang.foreign}): the libc
 * bindings ({@link io.culvert.engine.sys.Libc}), batched UDP sockets with GSO/GRO ({@link io.culvert.engine.sys.UdpSocket})
 * and the offloads-off switch ({@link io.culvert.engine.sys.Offloads}); and the host's packet filter and forwarding
 * switches through {@code nft} and {@code /proc/sys} ({@link io.culvert.engine.sys.PacketFilter}). Linux x86-64/aarch64
 * only.
 */
package io.culvert.engine.sys;
