package io.culvert.engine.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsConfigTest {
    private final List<List<String>> calls = new ArrayList<>();
    private final CommandRunner recorder = argv -> {
        calls.add(argv);
        return CommandRunner.Result.ok("");
    };

    @Test
    void fullTunnelRoutesEveryNameThroughTheLinkAndRevertsIt() throws IOException {
        DnsConfig dns = new DnsConfig(recorder, true);
        dns.apply("tun0", List.of("10.8.0.1", "fd00::1"), List.of("corp.example"), true);
        dns.revert();
        assertEquals(List.of(
                List.of("resolvectl", "dns", "tun0", "10.8.0.1", "fd00::1"),
                List.of("resolvectl", "domain", "tun0", "corp.example", "~."),
                List.of("resolvectl", "default-route", "tun0", "true"),
                List.of("resolvectl", "revert", "tun0")), calls);
    }

    @Test
    void splitTunnelKeepsTheSystemDefaultRoute() throws IOException {
        new DnsConfig(recorder, true).apply("tun1", List.of("10.8.0.1"), List.of(), false);
        assertEquals(List.of("resolvectl", "default-route", "tun1", "false"), calls.getLast());
        assertTrue(calls.stream().noneMatch(c -> c.get(1).equals("domain")), "no domain call without domains: " + calls);
    }

    @Test
    void withoutResolvedNothingRunsAndTheLogSaysWhy() throws IOException {
        String said = new DnsConfig(recorder, false).apply("tun0", List.of("10.8.0.1"), List.of(), true);
        assertTrue(calls.isEmpty());
        assertTrue(said.contains("not applied"), said);
    }

    @Test
    void pushedValuesThatLookLikeOptionsAreRefused() {
        DnsConfig dns = new DnsConfig(recorder, true);
        assertThrows(IOException.class, () -> dns.apply("tun0", List.of("--interface=eth0"), List.of(), false));
        assertThrows(IOException.class, () -> dns.apply("tun0", List.of("10.8.0.1"), List.of("-x"), false));
        assertTrue(calls.isEmpty());
    }
}
