package io.culvert.engine.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.sys.Libc;
import io.culvert.engine.sys.TunFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The parts of {@link LinuxTun} that need neither root nor a device. */
@EnabledOnOs(OS.LINUX)
class LinuxTunTest {

    @Test
    void bareTypeNameLetsTheKernelPick() {
        assertEquals("", LinuxTun.kernelName("tun", false));
        assertEquals("", LinuxTun.kernelName("tap", true));
        assertEquals("", LinuxTun.kernelName(null, false));
        assertEquals("tun0", LinuxTun.kernelName("tun0", false));
        assertEquals("culvert%d", LinuxTun.kernelName("culvert%d", false));
    }

    @Test
    void rejectsNamesTheKernelWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.kernelName("sixteen-chars-xx", false));
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.kernelName("a/b", false));
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.kernelName("tun 1", false));
    }

    @Test
    void explainsMissingPrivilege() {
        String message = TunFd.describeSetIffError(Libc.EPERM, "tun0");

        assertTrue(message.contains("CAP_NET_ADMIN"), message);
        assertTrue(message.contains("Operation not permitted"), message);
    }

    @Test
    void explainsMissingCloneDevice() {
        String message = TunFd.describeOpenError(Libc.ENOENT);

        assertTrue(message.contains("/dev/net/tun does not exist"), message);
    }
}
