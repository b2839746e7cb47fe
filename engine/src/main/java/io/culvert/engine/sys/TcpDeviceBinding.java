package io.culvert.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * OpenVPN's {@code bind-dev} for TCP: {@code setsockopt(SO_BINDTODEVICE)} on the socket of a bound
 * {@link java.nio.channels.SocketChannel} (before it connects) or {@link java.nio.channels.ServerSocketChannel} (before
 * it accepts; accepted connections inherit the device), which Java offers no option for. The channel's descriptor is
 * the one stream socket of this process bound to the channel's local address (a bound TCP address is one socket's
 * until it connects or listens), looked up among {@code /proc/self/fd}. As in OpenVPN ({@code socket.c}), a failure to
 * bind is only a warning. Stateless and thread-safe.
 */
public final class TcpDeviceBinding {
    private static final Path FDS = Path.of("/proc/self/fd");

    private TcpDeviceBinding() {}

    /** Binds {@code channel}, already bound to a local address, to device (or VRF) {@code dev}; failures go to {@code warn}. */
    public static void bind(NetworkChannel channel, String dev, Consumer<String> warn) throws IOException {
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        if (local == null) {
            throw new IllegalStateException("bind the channel before binding it to a device");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment e = Libc.newErrno(a);
            List<Integer> fds = streamSocketsAt(a, e, local);
            if (fds.size() != 1) {
                warn.accept("WARN: setsockopt SO_BINDTODEVICE=" + dev + " not done: " + fds.size()
                        + " TCP sockets are bound to " + local);
                return;
            }
            MemorySegment name = a.allocateFrom(dev); // NUL-terminated, as socket.c passes strlen + 1
            if (Libc.setsockopt(e, fds.getFirst(), Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, name, (int) name.byteSize()) != 0) {
                warn.accept("WARN: setsockopt SO_BINDTODEVICE=" + dev + " failed: " + Libc.describe(Libc.errno(e)));
            }
        }
    }

    /** This process's stream sockets whose local address is {@code local} (the port, and the address unless wildcard). */
    private static List<Integer> streamSocketsAt(Arena a, MemorySegment e, InetSocketAddress local) throws IOException {
        List<Integer> found = new ArrayList<>();
        MemorySegment addr = a.allocate(SockAddr.STORAGE_SIZE, 8);
        MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
        MemorySegment type = a.allocate(ValueLayout.JAVA_INT);
        try (Stream<Path> entries = Files.list(FDS)) {
            for (Path entry : entries.toList()) {
                int fd;
                try {
                    fd = Integer.parseInt(entry.getFileName().toString());
                    if (!Files.readSymbolicLink(entry).toString().startsWith("socket:")) {
                        continue;
                    }
                } catch (NumberFormatException | IOException gone) {
                    continue; // not a descriptor, or closed meanwhile
                }
                len.set(ValueLayout.JAVA_INT, 0, 4);
                if (Libc.getsockopt(e, fd, Libc.SOL_SOCKET, Libc.SO_TYPE, type, len) != 0
                        || type.get(ValueLayout.JAVA_INT, 0) != Libc.SOCK_STREAM) {
                    continue;
                }
                len.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_SIZE);
                if (Libc.getsockname(e, fd, addr, len) != 0) {
                    continue;
                }
                InetSocketAddress bound = SockAddr.read(addr);
                if (bound != null && bound.getPort() == local.getPort() && sameAddress(bound, local)) {
                    found.add(fd);
                }
            }
        }
        return found;
    }

    private static boolean sameAddress(InetSocketAddress a, InetSocketAddress b) {
        return a.getAddress().isAnyLocalAddress() && b.getAddress().isAnyLocalAddress() || a.getAddress().equals(b.getAddress());
    }
}
