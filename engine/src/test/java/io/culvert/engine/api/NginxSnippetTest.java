package io.culvert.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NginxSnippetTest {
    @Test
    void theAdminGuideShowsTheTemplateTheWizardAndTestsUse() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docs/admin-guide.md"))) {
            root = root.getParent();
        }
        String template = NginxSnippet.template();
        assertEquals(Files.readString(root.resolve("docs/nginx/culvert-websocket.conf")), template);
        String guide = Files.readString(root.resolve("docs/admin-guide.md"));
        assertTrue(guide.contains("```nginx\n" + template + "```"), "the admin guide shows docs/nginx/culvert-websocket.conf");
    }

    @Test
    void fillsInTheServersPathAndBackend() {
        String text = NginxSnippet.location("/tunnel", "::1", 9000);
        assertTrue(text.startsWith("location /tunnel {\n    proxy_pass http://[::1]:9000;\n"), text);
        assertTrue(text.contains("proxy_set_header Upgrade $http_upgrade;"), text);
        assertEquals(NginxSnippet.template(), NginxSnippet.location("/vpn", "127.0.0.1", 8081));
        assertThrows(IllegalArgumentException.class, () -> NginxSnippet.location("/a b", "127.0.0.1", 1));
    }
}
