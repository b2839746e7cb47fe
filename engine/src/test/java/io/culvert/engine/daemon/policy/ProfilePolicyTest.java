package io.culvert.engine.daemon.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.Directives;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProfilePolicyTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

    private static List<String> refusals(String text) throws OvpnParseException {
        return ProfilePolicy.refusals(OvpnFile.parse(text));
    }

    /**
     * A line of directive {@code name} whose argument {@code index} (or 0 for "every argument") is {@code path}, the
     * other arguments placeholders, at least {@code minArgs} of them.
     */
    static String lineWithPath(Directives.Spec spec, Directives.PathArg p, String path) {
        int at = p.index() == Directives.PathArg.EVERY ? 0 : p.index();
        List<String> args = new ArrayList<>();
        for (int i = 0; i < Math.max(at + 1, spec.minArgs()); i++) {
            args.add(i == at ? path : "1194");
        }
        return spec.name() + " " + String.join(" ", args);
    }

    /** Every catalogue entry with an argument that names a path, each such position once. */
    static List<String[]> pathPositions() {
        List<String[]> out = new ArrayList<>();
        for (String name : Directives.names()) {
            Directives.Spec spec = Directives.lookup(name).orElseThrow();
            for (Directives.PathArg p : spec.paths()) {
                out.add(new String[] {lineWithPath(spec, p, "/etc/shadow"), lineWithPath(spec, p, "/nonexistent/guess")});
            }
        }
        return out;
    }

    @Test
    @DisplayName("confused deputy: every catalogue directive whose argument is a file is refused as a path, for every role,"
            + " with the same words whether the file exists or not")
    void confusedDeputyEveryCatalogueFileArgumentIsRefusedAsAPath() throws OvpnParseException {
        List<String[]> positions = pathPositions();
        assertTrue(positions.size() >= 40, "the catalogue marks the file arguments: " + positions.size());
        for (String[] lines : positions) {
            List<String> existing = refusals("client\n" + lines[0] + "\n");
            List<String> missing = refusals("client\n" + lines[1] + "\n");
            assertEquals(1, existing.size(), () -> lines[0] + " -> " + existing);
            assertTrue(existing.getFirst().startsWith("line 2: '"), existing::toString);
            assertFalse(existing.getFirst().contains("/etc/shadow"), "the path is not echoed: " + existing);
            assertEquals(existing, missing, "a refusal does not tell whether a path exists");
            List<String> inConnection = refusals("client\n<connection>\nremote a 1194\n" + lines[0] + "\n</connection>\n");
            assertFalse(inConnection.isEmpty(), "inside a <connection> block too: " + lines[0]);
        }
    }

    @Test
    @DisplayName("confused deputy through proxy auth files: http-proxy and socks-proxy with an auth file are refused")
    void confusedDeputyThroughProxyAuthFiles() throws OvpnParseException {
        for (String line : List.of("http-proxy proxy.example 8080 /root/proxy-auth", "http-proxy proxy.example 8080 /root/proxy-auth basic",
                "socks-proxy proxy.example 1080 /root/proxy-auth", "http-proxy-user-pass /root/proxy-auth")) {
            List<String> r = refusals("client\nproto tcp\nremote h 1194\n" + line + "\n");
            assertEquals(1, r.size(), line + " -> " + r);
            assertTrue(r.getFirst().contains("names a file on the host"), r::toString);
        }
    }

    @Test
    void keywordsInPathPositionsAndInlineContentPass() throws OvpnParseException {
        assertEquals(List.of(), refusals("client\nproto tcp\nremote vpn.example.org 1194\nauth-user-pass\nauth-user-pass stdin\naskpass\n"
                + "http-proxy p 8080 auto\nhttp-proxy p 8080 auto-nct\nhttp-proxy p 8080 [inline] basic\n"
                + "<http-proxy-user-pass>\nu\np\n</http-proxy-user-pass>\nsocks-proxy p 1080\nsocks-proxy p 1080 [inline]\n"
                + "<socks-proxy-user-pass>\nu\np\n</socks-proxy-user-pass>\ndh none\n"
                + "<ca>\n" + PEM + "</ca>\n<tls-auth>\nkey\n</tls-auth>\nkey-direction 1\npeer-fingerprint AB:CD\n"));
    }

    @Test
    void fileReferencesAreRefusedWithTheirLine() throws OvpnParseException {
        List<String> r = refusals("client\nca /etc/shadow\nauth-user-pass /root/secret\ntls-auth ta.key 1\nup /etc/openvpn/up.sh\n");
        assertEquals(4, r.size(), r::toString);
        assertTrue(r.get(0).startsWith("line 2: 'ca' names a file"), r.get(0));
        assertTrue(r.get(1).startsWith("line 3: 'auth-user-pass' names a file"), r.get(1));
        assertTrue(r.get(2).startsWith("line 4: 'tls-auth' names a file"), r.get(2));
        assertTrue(r.get(3).startsWith("line 5: 'up' names a file"), r.get(3));
    }

    @Test
    void directivesThatWriteOrListenOnTheHostAreRefused() throws OvpnParseException {
        List<String> r = refusals("client\nstatus /etc/passwd 1\nmanagement 127.0.0.1 7505\n");
        assertEquals(2, r.size(), r::toString);
        assertTrue(r.get(0).contains("'status' names a file"), r.get(0));
        assertTrue(r.get(1).contains("'management' would make culvertd listen"), r.get(1));
    }

    @Test
    @DisplayName("askpass FILE is refused as a path (the caller answers the key prompt instead)")
    void askpassFileIsRefusedAsAPath() throws OvpnParseException {
        assertEquals(refusals("client\naskpass /dev/zero\n"), refusals("client\naskpass /nonexistent\n"));
        assertTrue(refusals("client\naskpass /dev/zero\n").getFirst().contains("'askpass' names a file"));
        assertEquals(List.of(), refusals("client\naskpass\n"), "askpass without a file prompts the caller");
    }
}
