/**
 * Pure packet logic for the offloaded TUN path, without I/O: the {@code virtio_net_hdr} that precedes each packet on
 * a TUN/TAP device opened with {@code IFF_VNET_HDR}, checksum completion for partial checksums, segmentation of TCP
 * and UDP super-segments (TSO/USO in user space) and coalescing of TCP segments into super-segments (GRO in user
 * space). Depends on {@code common} only; nothing here allocates per packet.
 */
package io.culvert.engine.packet;
