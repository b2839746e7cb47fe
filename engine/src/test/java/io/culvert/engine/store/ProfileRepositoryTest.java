package io.culvert.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.config.ClientConfig;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs on SQLite and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Backend.class)
class ProfileRepositoryTest {
    @Parameter
    Backend backend;

    @TempDir
    Path tmp;
    private Store store;
    private ProfileRepository profiles;

    @BeforeEach
    void open() {
        store = backend.target(tmp).open();
        profiles = store.profiles();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void storesTheTextVerbatimAndDerivesTheModelFromIt() throws Exception {
        String text = StoreFixtures.clientProfile();
        StoredProfile saved = profiles.add("work", text, ProfileCheck.STRICT);
        StoredProfile found = profiles.find("work").orElseThrow();
        assertEquals(saved, found);
        assertEquals(text, found.text());
        assertEquals(StoreFixtures.T0, found.createdAt());
        assertNull(found.lastUsedAt());
        assertFalse(found.autoConnect());
        ClientConfig cfg = found.clientConfig(null, false);
        assertEquals("10.99.0.1", cfg.transport().remotes().getFirst().host());
        assertTrue(cfg.wrap().tlsCryptKey() != null);
    }

    @Test
    void updatesAutoConnectLastUsedNameAndText() throws Exception {
        profiles.add("work", StoreFixtures.clientProfile(), ProfileCheck.STRICT);
        assertTrue(profiles.setAutoConnect("work", true).autoConnect());
        Instant used = Instant.parse("2026-02-01T00:00:00Z");
        profiles.markUsed("work", used);
        assertEquals(used, profiles.find("work").orElseThrow().lastUsedAt());
        StoredProfile renamed = profiles.rename("work", "office");
        assertEquals("office", renamed.name());
        assertTrue(profiles.find("work").isEmpty());
        String changed = StoreFixtures.clientProfile().replace("verb 3", "verb 4");
        assertEquals(changed, profiles.replaceText("office", changed, ProfileCheck.STRICT).text());
        assertEquals(List.of("office"), profiles.list().stream().map(StoredProfile::name).toList());
        assertTrue(profiles.delete("office"));
        assertFalse(profiles.delete("office"));
        assertTrue(profiles.list().isEmpty());
    }

    @Test
    void duplicateNameIsRefusedAndTheFirstProfileKept() throws Exception {
        String text = StoreFixtures.clientProfile();
        profiles.add("work", text, ProfileCheck.STRICT);
        StoreException e = assertThrows(StoreException.class,
                () -> profiles.add("work", text.replace("verb 3", "verb 5"), ProfileCheck.STRICT));
        assertEquals(StoreException.Kind.DUPLICATE, e.kind());
        assertEquals(text, profiles.find("work").orElseThrow().text());
        assertEquals(1, profiles.list().size());
    }

    @Test
    void truncatedPemInsideAProfileIsRefusedWithItsLineAndTheStoreIsUnchanged() throws Exception {
        profiles.add("existing", StoreFixtures.clientProfile(), ProfileCheck.STRICT);
        byte[] before = snapshot();
        String text = StoreFixtures.clientProfile();
        int cut = text.indexOf("-----END CERTIFICATE-----", text.indexOf("<cert>")) - 30;
        String truncated = text.substring(0, cut) + "\n-----END CERTIFICATE-----\n" + text.substring(text.indexOf("</cert>"));
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> profiles.add("broken", truncated, ProfileCheck.STRICT));
        assertEquals(Reason.INVALID_VALUE, e.reason());
        assertEquals("cert", e.directive());
        assertEquals(lineOf(text, "<cert>"), e.line());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertUnchanged(before);
    }

    @Test
    void pemWithoutItsEndLineIsRefused() {
        String text = StoreFixtures.clientProfile();
        String noEnd = text.replaceFirst("-----END CERTIFICATE-----\n</ca>", "</ca>");
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> profiles.add("x", noEnd, ProfileCheck.STRICT));
        assertEquals("ca", e.directive());
        assertTrue(e.getMessage().contains("no matching -----END CERTIFICATE-----"), e.getMessage());
    }

    @Test
    void fileCutInsideAnInlineBlockIsRefusedAsMissingEnd() throws Exception {
        String text = StoreFixtures.clientProfile();
        String cut = text.substring(0, text.indexOf("<key>") + 40);
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> profiles.add("x", cut, ProfileCheck.STRICT));
        assertEquals(Reason.MISSING_INLINE_END, e.reason());
        assertTrue(profiles.list().isEmpty());
    }

    @Test
    void garbageBytesAreRefusedAndTheStoreIsUnchanged() throws Exception {
        profiles.add("existing", StoreFixtures.clientProfile(), ProfileCheck.STRICT);
        byte[] before = snapshot();
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        String garbage = new String(junk, StandardCharsets.ISO_8859_1);
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> profiles.add("junk", garbage, ProfileCheck.STRICT));
        assertTrue(e.line() >= 1, "the error names a line: " + e.getMessage());
        assertUnchanged(before);
    }

    @Test
    void fiftyMegabyteProfileIsRefusedAsTooLargeAndTheStoreIsUnchanged() throws Exception {
        profiles.add("existing", StoreFixtures.clientProfile(), ProfileCheck.STRICT);
        byte[] before = snapshot();
        String huge = "# " + "x".repeat(50 * 1024 * 1024);
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> profiles.add("huge", huge, ProfileCheck.STRICT));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
        assertUnchanged(before);
    }

    @Test
    void unknownDirectiveIsRefusedUnlessTheCheckIgnoresUnknown() throws Exception {
        String text = StoreFixtures.clientProfile().replace("verb 3", "verb 3\nfrobnicate yes");
        OvpnParseException e = assertThrows(OvpnParseException.class, () -> profiles.add("x", text, ProfileCheck.STRICT));
        assertEquals(Reason.UNKNOWN_DIRECTIVE, e.reason());
        assertEquals(9, e.line());
        assertEquals(text, profiles.add("x", text, new ProfileCheck(null, true)).text());
    }

    @Test
    void badNamesAreRefused() {
        for (String bad : new String[] {"", " lead", "tab\tname", "x".repeat(129)}) {
            StoreException e = assertThrows(StoreException.class, () -> profiles.add(bad, StoreFixtures.clientProfile(), ProfileCheck.STRICT));
            assertEquals(StoreException.Kind.INVALID, e.kind());
        }
    }

    @Test
    void unknownProfileIsNotFound() {
        assertTrue(profiles.find("nope").isEmpty());
        assertEquals(StoreException.Kind.NOT_FOUND, assertThrows(StoreException.class, () -> profiles.setAutoConnect("nope", true)).kind());
    }

    private byte[] snapshot() {
        return profiles.list().toString().concat(profiles.list().stream().map(StoredProfile::text).toList().toString())
                .getBytes(StandardCharsets.UTF_8);
    }

    private void assertUnchanged(byte[] before) {
        assertArrayEquals(before, snapshot());
        assertEquals("ok", store.integrityCheck());
        store.file().ifPresent(f -> assertTrue(Files.exists(f)));
    }

    private static int lineOf(String text, String marker) {
        return (int) text.substring(0, text.indexOf(marker)).chars().filter(ch -> ch == '\n').count() + 1;
    }
}
