package io.culvert.engine.config;

import io.culvert.engine.common.Mssfix;
import io.culvert.engine.config.ClientConfig.DevType;

/**
 * The tunnel device both roles open: {@code dev}/{@code dev-type}, {@code tun-mtu} and {@code mssfix}.
 * Instances are immutable.
 *
 * @param type tun or tap, from {@code dev-type} or the device name
 * @param name the {@code dev} name as written ({@code tun}, {@code tap0} ...)
 * @param tunMtu {@code tun-mtu}
 * @param mssfix {@code mssfix}, or null for OpenVPN's default (see {@link #effectiveMssfix()})
 */
public record Device(DevType type, String name, int tunMtu, Mssfix mssfix) {
    /** OpenVPN's {@code tun-mtu} default. */
    public static final int DEFAULT_TUN_MTU = 1500;
    /** {@code dev tun} with OpenVPN's defaults. */
    public static final Device DEFAULTS = new Device(DevType.TUN, "tun", DEFAULT_TUN_MTU, null);

    /** The {@code mssfix} in effect: the configured one, or OpenVPN 2.6's default for this tun-mtu. */
    public Mssfix effectiveMssfix() {
        return Mssfix.effective(mssfix, tunMtu);
    }

    /** True for a layer-2 (tap) device. */
    public boolean isTap() {
        return type == DevType.TAP;
    }
}
