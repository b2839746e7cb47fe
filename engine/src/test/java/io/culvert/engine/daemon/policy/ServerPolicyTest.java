package io.culvert.engine.daemon.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.Directives;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ServerPolicyTest {
    private static final String BASE = "dev tun\nserver 10.8.0.0 255.255.255.0\n";

    @Test
    @DisplayName("confused deputy: every catalogue directive whose argument is a file is refused from an admin's server"
            + " config, except those culvertd points into its own state folder")
    void confusedDeputyEveryCatalogueFileArgumentIsRefusedInServerConfigs() throws OvpnParseException {
        Set<String> relocated = Set.of("client-config-dir", "status", "ifconfig-pool-persist");
        int checked = 0;
        for (String name : Directives.names()) {
            Directives.Spec spec = Directives.lookup(name).orElseThrow();
            for (Directives.PathArg p : spec.paths()) {
                String line = ProfilePolicyTest.lineWithPath(spec, p, "/etc/shadow");
                List<String> r = ServerPolicy.serviceRefusals(OvpnFile.parse(BASE + line + "\n"));
                if (relocated.contains(name)) {
                    assertEquals(List.of(), r, line + ": the service replaces the path with one in its state folder");
                } else {
                    assertEquals(1, r.size(), () -> line + " -> " + r);
                    assertFalse(r.getFirst().contains("/etc/shadow"), r::toString);
                    checked++;
                }
            }
        }
        assertTrue(checked > 40, "checked " + checked);
    }

    @Test
    void thePathTableCoversEveryDirectiveTheServicePolicyKnowsAsAFileOrProgram() {
        for (String name : ServerPolicy.SCRIPTS) {
            assertTrue(Directives.lookup(name).orElseThrow().takesPath(), name + " runs a program named by a path");
        }
        for (String name : ServerPolicy.RELOCATED) {
            assertTrue(Directives.lookup(name).orElseThrow().takesPath(), name + " names a file");
        }
        for (String name : Directives.names()) {
            Directives.Spec spec = Directives.lookup(name).orElseThrow();
            if (spec.inlineAllowed() && !Set.of("peer-fingerprint", "connection").contains(name)) {
                assertTrue(spec.takesPath(), name + " takes a file or its content inline");
            }
        }
    }
}
