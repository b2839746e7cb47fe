#!/usr/bin/env python3
"""Captures the kernel's own software segmentation (GSO) of TCP and UDP super-segments, once, as hex test resources.

Run as root:  ip netns add cvcap && ip netns exec cvcap python3 capture.py OUTDIR [vnet]; ip netns del cvcap
A TUN device without IFF_VNET_HDR offers no offloads, so the kernel segments every TCP/UDP super-segment in software
(tcp_gso_segment, __udp_gso_segment) before handing it to the reader: what we read is the kernel's segment bytes.
With "vnet" the device is opened with IFF_VNET_HDR and TUNSETOFFLOAD (csum, TSO4/6, ECN, USO4/6): then each line is
the kernel's virtio_net_hdr followed by the packet as it hands it over: super-segments and partial checksums
(files kernel-vnet-*.hex).
The TCP peer is faked by hand (SYN-ACK with MSS, window scale and timestamps) so that the kernel sends a first
flight of full-size segments. One packet per line, hex.
"""
import fcntl, os, select, socket, struct, subprocess, sys, time

out = sys.argv[1]
VNET = len(sys.argv) > 2 and sys.argv[2] == 'vnet'
SKIP = 10 if VNET else 0
PREFIX = 'kernel-vnet-' if VNET else 'kernel-'
TUNSETIFF = 0x400454ca
TUNSETOFFLOAD = 0x400454d0
fd = os.open('/dev/net/tun', os.O_RDWR)
# IFF_TUN | IFF_NO_PI (| IFF_VNET_HDR)
fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', b'cvcap0', 0x0001 | 0x1000 | (0x4000 if VNET else 0)))
if VNET:
    fcntl.ioctl(fd, TUNSETOFFLOAD, 0x01 | 0x02 | 0x04 | 0x08 | 0x20 | 0x40)
for cmd in ('ip link set lo up', 'ip link set cvcap0 up mtu 1500', 'ip addr add 10.9.0.1/24 dev cvcap0',
            'ip -6 addr add fd00:9::1/64 dev cvcap0 nodad'):
    subprocess.run(cmd.split(), check=True)
time.sleep(0.3)


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def read_proto(v6, proto, count, timeout=2.0):
    got, end = [], time.time() + timeout
    while len(got) < count and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r:
            continue
        raw = os.read(fd, 70000)
        p = raw[SKIP:]
        if v6 and p[0] >> 4 == 6 and p[6] == proto:
            got.append(raw)
        elif not v6 and p[0] >> 4 == 4 and p[9] == proto:
            got.append(raw)
    return got


def save(name, pkts):
    with open(os.path.join(out, name), 'w') as f:
        for p in pkts:
            f.write(p.hex() + '\n')
    print(name, len(pkts), [len(p) for p in pkts])


def udp(v6):
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
    dst = ('fd00:9::2' if v6 else '10.9.0.2', 9999)
    if VNET:
        s.sendto(bytes((i * 11 + 1) & 0xff for i in range(301)), dst)  # one packet, partial checksum
        save(PREFIX + 'udp%d-csum.hex' % (6 if v6 else 4), read_proto(v6, 17, 1))
    s.setsockopt(17, 103, 1000)  # SOL_UDP, UDP_SEGMENT
    s.sendto(bytes((i * 7 + 3) & 0xff for i in range(3500)), dst)
    save(PREFIX + 'udp%d.hex' % (6 if v6 else 4), read_proto(v6, 17, 1 if VNET else 4))


def synack(syn, v6):
    ihl = 40 if v6 else (syn[0] & 15) * 4
    tcp = syn[ihl:]
    sport, dport, seq = struct.unpack('!HHI', tcp[:8])
    tsval = 0
    i, opts = 20, tcp[20:(tcp[12] >> 4) * 4]
    i = 0
    while i < len(opts):
        k = opts[i]
        if k == 0:
            break
        if k == 1:
            i += 1
            continue
        if k == 8:
            tsval = struct.unpack('!I', opts[i + 2:i + 6])[0]
        i += opts[i + 1]
    options = struct.pack('!BBH', 2, 4, 1200) + b'\x01\x03\x03\x07' + b'\x01\x01' + struct.pack('!BBII', 8, 10, 777, tsval)
    hdr = struct.pack('!HHIIBBHHH', dport, sport, 0x10000000, seq + 1, (20 + len(options)) // 4 << 4, 0x12, 65535, 0, 0)
    seg = hdr + options
    if v6:
        src, dst = syn[24:40], syn[8:24]
        pseudo = src + dst + struct.pack('!IxxxB', len(seg), 6)
    else:
        src, dst = syn[16:20], syn[12:16]
        pseudo = src + dst + struct.pack('!xBH', 6, len(seg))
    seg = seg[:16] + struct.pack('!H', csum(pseudo + seg)) + seg[18:]
    if v6:
        return struct.pack('!IHBB', 0x60000000, len(seg), 6, 64) + src + dst + seg
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(seg), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return ip + seg


def tcp(v6):
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(('fd00:9::2' if v6 else '10.9.0.2', 80))
    except BlockingIOError:
        pass
    syn = read_proto(v6, 6, 1)[0][SKIP:]
    os.write(fd, bytes(SKIP) + synack(syn, v6))
    read_proto(v6, 6, 1)  # the handshake's ACK
    s.setblocking(True)
    s.send(bytes((i * 13 + 5) & 0xff for i in range(40000)))
    save(PREFIX + 'tcp%d.hex' % (6 if v6 else 4), read_proto(v6, 6, 1 if VNET else 10))
    s.close()


udp(False)
udp(True)
tcp(False)
tcp(True)
