package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ProfileException;
import io.culvert.engine.api.ProfileImport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every string the client face shows comes from its bundle: each key the code names, each enum it turns into words. */
class ClientMessagesTest {

    private static Properties bundle() throws IOException {
        Properties p = new Properties();
        try (InputStream in = ClientMessagesTest.class.getResourceAsStream("/io/culvert/app/client/messages.properties")) {
            p.load(in);
        }
        return p;
    }

    @Test
    void everyEnumTheFaceTurnsIntoWordsHasItsKeys() throws IOException {
        Properties p = bundle();
        List<String> missing = new ArrayList<>();
        for (ErrorKind k : ErrorKind.values()) {
            Stream.of("error." + k, "error." + k + ".hint").filter(key -> !p.containsKey(key)).forEach(missing::add);
        }
        Stream.of(ConnectionState.values()).map(s -> "state." + s).filter(key -> !p.containsKey(key)).forEach(missing::add);
        Stream.of(ProfileImport.Status.values()).map(s -> "status." + s).filter(key -> !p.containsKey(key)).forEach(missing::add);
        Stream.of(ProfileException.Kind.values()).map(s -> "profile.error." + s).filter(key -> !p.containsKey(key)).forEach(missing::add);
        Stream.of(EngineEvent.Level.values()).map(s -> "log.level." + s).filter(key -> !p.containsKey(key)).forEach(missing::add);
        Stream.of(ConnectionModel.Phase.values()).map(s -> "tray.tooltip." + s.name().toLowerCase(java.util.Locale.ROOT))
                .filter(key -> !p.containsKey(key)).forEach(missing::add);
        assertEquals(List.of(), missing);
    }

    @Test
    void everyLiteralKeyInTheCodeIsInTheBundle() throws IOException {
        Properties p = bundle();
        Pattern get = Pattern.compile("msg\\.get\\(\"([a-zA-Z0-9.]+)\"");
        List<String> missing = new ArrayList<>();
        int found = 0;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/culvert/app/client"))) {
            for (Path f : files.toList()) {
                Matcher m = get.matcher(Files.readString(f));
                while (m.find()) {
                    found++;
                    if (!m.group(1).endsWith(".") && !p.containsKey(m.group(1))) { // a prefix: the enum test covers it
                        missing.add(f.getFileName() + ": " + m.group(1));
                    }
                }
            }
        }
        assertTrue(found > 80, "found only " + found + " keys");
        assertEquals(List.of(), missing);
    }
}
