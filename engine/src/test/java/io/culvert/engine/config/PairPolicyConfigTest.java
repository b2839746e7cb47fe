package io.culvert.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.common.PairPolicy;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import io.culvert.engine.config.report.ImportReport;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client-to-client pair policy in a server config: the directives, setenv opt, and errors at their line. */
class PairPolicyConfigTest {
    /** Seven lines, so the directive that follows is on line 8. */
    private static final String BASE = "dev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
            + "server 10.8.0.0 255.255.255.0\nclient-to-client\n";

    private static PairPolicy policy(String lines) throws Exception {
        return ServerConfigTest.text(BASE + lines).clients().pairPolicy();
    }

    private static OvpnParseException refused(String text) {
        return assertThrows(OvpnParseException.class, () -> ServerConfigTest.text(text));
    }

    @Test
    void withoutRulesEveryPairMayTalk() throws Exception {
        assertSame(PairPolicy.OPEN, policy(""));
    }

    @Test
    void aDenyLineDeniesThePairBothWays() throws Exception {
        PairPolicy p = policy("culvert-c2c-deny alice bob\n");
        assertEquals(new PairPolicy(PairPolicy.Mode.DENY_LISTED,
                List.of(new PairPolicy.Rule(Set.of("alice"), Set.of("bob"), 8))), p);
        assertFalse(p.allows("bob", "alice"));
        assertTrue(p.allows("alice", "carol"));
    }

    @Test
    void setenvOptWrapsTheDirectivesSoStockOpenvpnSkipsThemAndCulvertStillAppliesThem() throws Exception {
        PairPolicy p = policy("setenv opt culvert-c2c-group guests g1 g2\nsetenv opt culvert-c2c-deny @guests alice\n");
        assertFalse(p.allows("g1", "alice"));
        assertFalse(p.allows("alice", "g2"));
        assertTrue(p.allows("g1", "g2"));
    }

    @Test
    void groupsMayBeDefinedAfterTheirUseAndAllowOnlyListsThePairsThatMayTalk() throws Exception {
        PairPolicy p = policy("culvert-c2c-allow-only\nculvert-c2c-allow @admins @servers\nculvert-c2c-allow alice bob\n"
                + "culvert-c2c-group admins alice\nculvert-c2c-group servers db1 web1\n");
        assertEquals(PairPolicy.Mode.ALLOW_ONLY_LISTED, p.mode());
        assertTrue(p.allows("db1", "alice"));
        assertTrue(p.allows("bob", "alice"));
        assertFalse(p.allows("db1", "web1"));
        assertFalse(p.allows("bob", "db1"));
    }

    @Test
    void anUnknownGroupIsAnErrorAtTheLineThatUsesIt() {
        OvpnParseException e = refused(BASE + "culvert-c2c-group staff alice\nculvert-c2c-deny @staff @guests\n");
        assertEquals(9, e.line());
        assertEquals("culvert-c2c-deny", e.directive());
        assertTrue(e.getMessage().startsWith("line 9: "), e.getMessage());
        assertTrue(e.detail().contains("unknown group '@guests'"), e.detail());
    }

    @Test
    void badLinesNameTheirLine() {
        OvpnParseException count = refused(BASE + "culvert-c2c-deny alice\n");
        assertEquals(8, count.line());
        assertEquals(Reason.WRONG_ARGUMENT_COUNT, count.reason());
        OvpnParseException self = refused(BASE + "culvert-c2c-deny alice alice\n");
        assertEquals(8, self.line());
        assertTrue(self.detail().contains("'alice' twice"), self.detail());
        OvpnParseException nested = refused(BASE + "culvert-c2c-group a x\nculvert-c2c-group b @a\n");
        assertEquals(9, nested.line());
        assertTrue(nested.detail().contains("not other groups"), nested.detail());
        OvpnParseException twice = refused(BASE + "culvert-c2c-group a x\nculvert-c2c-group a y\n");
        assertEquals(9, twice.line());
        assertTrue(twice.detail().contains("already defined on line 8"), twice.detail());
        OvpnParseException name = refused(BASE + "culvert-c2c-group 'a b' x\n");
        assertTrue(name.detail().contains("is not a group name"), name.detail());
        OvpnParseException badRef = refused(BASE + "culvert-c2c-deny @ alice\n");
        assertTrue(badRef.detail().contains("'@' is not a group name"), badRef.detail());
    }

    @Test
    void theModeAndTheRulesMustAgree() {
        OvpnParseException allow = refused(BASE + "culvert-c2c-allow alice bob\n");
        assertEquals(8, allow.line());
        assertTrue(allow.detail().contains("needs culvert-c2c-allow-only"), allow.detail());
        OvpnParseException deny = refused(BASE + "culvert-c2c-allow-only\nculvert-c2c-deny alice bob\n");
        assertEquals(9, deny.line());
        assertTrue(deny.detail().contains("no meaning with culvert-c2c-allow-only (line 8)"), deny.detail());
        OvpnParseException again = refused(BASE + "culvert-c2c-allow-only\nculvert-c2c-allow-only\n");
        assertEquals(9, again.line());
    }

    @Test
    void aPolicyWithoutClientToClientIsRefusedBecauseNothingWouldEnforceIt() {
        OvpnParseException e = refused(BASE.replace("client-to-client\n", "verb 3\n") + "culvert-c2c-deny alice bob\n");
        assertEquals(8, e.line());
        assertEquals(Reason.MISSING_REQUIRED, e.reason());
        assertTrue(e.detail().contains("needs client-to-client"), e.detail());
    }

    @Test
    void importSaysItIsCulvertOnly() throws Exception {
        for (String line : List.of("culvert-c2c-deny alice bob", "setenv opt culvert-c2c-deny alice bob")) {
            ImportReport r = ImportReport.of(OvpnFile.parse(BASE + line + "\n"), Directives.Role.SERVER);
            assertTrue(r.problems().isEmpty(), r.problems().toString());
            ImportReport.Item item = r.items().stream().filter(i -> i.directive().contains("culvert-c2c-deny"))
                    .findFirst().orElseThrow(() -> new AssertionError(r.items().toString()));
            assertEquals(ImportReport.Status.SUPPORTED, item.status());
            assertTrue(item.note().startsWith("Culvert-only: stock openvpn ignores this (setenv opt)"), item.note());
        }
    }
}
