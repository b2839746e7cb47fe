package io.culvert.engine.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.sys.Capabilities;
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
        String message = TunFd.describeSetIffError(Libc.EPERM, "tun0", false);

        assertTrue(message.contains("root or CAP_NET_ADMIN is needed"), message);
        assertTrue(message.contains("Operation not permitted"), message);
        assertTrue(TunFd.describeOpenError(Libc.EACCES, false).contains("root or CAP_NET_ADMIN is needed"));
    }

    /** Under culvertd the capability is there: the message points at the device policy instead of blaming it. */
    @Test
    void withTheCapabilityBlamesTheDeviceNotThePrivilege() {
        for (String message : new String[] {TunFd.describeSetIffError(Libc.EPERM, "tun0", true),
                TunFd.describeOpenError(Libc.EACCES, true)}) {
            assertFalse(message.contains("CAP_NET_ADMIN is needed"), message);
            assertTrue(message.contains("although this process has CAP_NET_ADMIN"), message);
            assertTrue(message.contains("DeviceAllow") && message.contains("tun owner/group"), message);
        }
    }

    @Test
    void readsNetAdminFromTheEffectiveSet() {
        assertTrue(Capabilities.netAdminIn("Name:\tculvertd\nCapInh:\t0000000000000000\nCapPrm:\t0000000000001000\n"
                + "CapEff:\t0000000000001000\nCapBnd:\t000001ffffffffff\n"));
        assertFalse(Capabilities.netAdminIn("CapPrm:\t0000000000001000\nCapEff:\t0000000000000000\n"));
        assertTrue(Capabilities.netAdminIn("CapEff:\t000001ffffffffff\n"));
        assertFalse(Capabilities.netAdminIn("Name:\tjava\n"));
    }

    @Test
    void explainsMissingCloneDevice() {
        String message = TunFd.describeOpenError(Libc.ENOENT);

        assertTrue(message.contains("/dev/net/tun does not exist"), message);
    }
}
