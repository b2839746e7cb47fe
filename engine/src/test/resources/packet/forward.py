#!/usr/bin/env python3
"""Has the kernel cut our super-segments: write them into a TUN opened with IFF_VNET_HDR and TSO on, let the kernel
forward them to a second TUN that offers no offloads, and print what arrives there, one packet per line, in hex.

Usage (root, in a fresh network namespace): forward.py IN OUT COUNT
IN holds the writes (virtio_net_hdr + IP packet, hex, one per line) from 10.9.1.2 / fd00:91::2 to 10.9.2.2 /
fd00:92::2; OUT gets the first COUNT TCP packets the kernel hands to the second device (within 5 s).
On its way out of that device the kernel segments each super-segment in software (tcp_gso_segment), completing each
segment's checksum from the pseudo-header sum in the super-segment: a wrong partial sum shows as a wrong checksum.
"""
import fcntl, os, select, struct, subprocess, sys, time

TUNSETIFF, TUNSETOFFLOAD = 0x400454ca, 0x400454d0
IFF_TUN, IFF_NO_PI, IFF_VNET_HDR = 0x0001, 0x1000, 0x4000


def tun(name, vnet):
    fd = os.open('/dev/net/tun', os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TUN | IFF_NO_PI | (IFF_VNET_HDR if vnet else 0)))
    if vnet:
        fcntl.ioctl(fd, TUNSETOFFLOAD, 0x01 | 0x02 | 0x04)  # csum, TSO4, TSO6
    return fd


a, b = tun('cvgroa', True), tun('cvgrob', False)
for cmd in ('sysctl -qw net.ipv4.ip_forward=1', 'sysctl -qw net.ipv6.conf.all.forwarding=1',
            'sysctl -qw net.ipv4.conf.all.rp_filter=0', 'sysctl -qw net.ipv4.conf.default.rp_filter=0',
            'ip link set cvgroa up', 'ip link set cvgrob up',
            'ip addr add 10.9.1.1/24 dev cvgroa', 'ip addr add 10.9.2.1/24 dev cvgrob',
            'ip -6 addr add fd00:91::1/64 dev cvgroa nodad', 'ip -6 addr add fd00:92::1/64 dev cvgrob nodad'):
    subprocess.run(cmd.split(), check=True)
time.sleep(0.2)

for line in open(sys.argv[1]):
    if line.strip():
        os.write(a, bytes.fromhex(line.strip()))

count, got, end = int(sys.argv[3]), [], time.time() + 5
while len(got) < count and time.time() < end:
    r, _, _ = select.select([b], [], [], 0.2)
    if r:
        p = os.read(b, 70000)
        if (p[0] >> 4 == 4 and p[9] == 6) or (p[0] >> 4 == 6 and p[6] == 6):
            got.append(p.hex())
with open(sys.argv[2], 'w') as f:
    f.write('\n'.join(got) + '\n')
print('forwarded', len(got), 'of', count)
