package io.culvert.engine.it;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network device's kernel counters, from {@code ip -s -j link show dev X}; immutable. On a TUN/TAP device
 * "rx" counts what the VPN process wrote into the kernel, "tx" what the kernel handed the VPN process.
 */
public record DeviceCounters(long rxPackets, long rxBytes, long txPackets, long txBytes) {

    private static final Pattern RX = Pattern.compile("\"rx\":\\{\"bytes\":(\\d+),\"packets\":(\\d+)");
    private static final Pattern TX = Pattern.compile("\"tx\":\\{\"bytes\":(\\d+),\"packets\":(\\d+)");

    /** Reads the counters of {@code device} in {@code ns}. */
    public static DeviceCounters read(Netns ns, String device) {
        String json = ns.exec(Duration.ofSeconds(10), "ip", "-s", "-j", "link", "show", "dev", device)
                .orThrow("ip -s link show " + device).output();
        return parse(json);
    }

    /** Parses the JSON printed by {@code ip -s -j link show}. */
    public static DeviceCounters parse(String json) {
        Matcher rx = RX.matcher(json);
        Matcher tx = TX.matcher(json);
        if (!rx.find() || !tx.find()) {
            throw new IllegalArgumentException("no stats64 in " + json);
        }
        return new DeviceCounters(Long.parseLong(rx.group(2)), Long.parseLong(rx.group(1)),
                Long.parseLong(tx.group(2)), Long.parseLong(tx.group(1)));
    }

    /** Counter growth from {@code before} to this. */
    public DeviceCounters minus(DeviceCounters before) {
        return new DeviceCounters(rxPackets - before.rxPackets, rxBytes - before.rxBytes,
                txPackets - before.txPackets, txBytes - before.txBytes);
    }
}
