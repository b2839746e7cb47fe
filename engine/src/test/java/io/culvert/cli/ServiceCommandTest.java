package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ServiceCommand.run(List.of(args), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, run("--bogus"));
        assertTrue(err().contains("unknown option '--bogus'") && err().contains("Usage: culvert service"), err());
        assertEquals(2, run("--socket"));
        assertTrue(err().contains("--socket needs a value"), err());
        assertEquals(2, run("--devices", "gpu"));
        assertTrue(err().contains("--devices takes kernel or memory"), err());
    }

    @Test
    void anUnknownGroupFailsBeforeListening(@TempDir Path dir) {
        Path socket = dir.resolve("run/culvertd.sock");
        assertEquals(1, run("--socket", socket.toString(), "--group", "no-such-group-culvert-test", "--devices", "memory"));
        assertTrue(err().contains("cannot listen on " + socket), err());
        assertTrue(Files.notExists(socket));
    }

    @Test
    void somethingOtherThanASocketAtThePathIsNeverRemoved(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("culvertd.sock"), "precious");
        String group = Files.getAttribute(dir, "posix:group").toString();
        assertEquals(1, run("--socket", file.toString(), "--group", group, "--devices", "memory"));
        assertTrue(err().contains("exists and is not a socket"), err());
        assertEquals("precious", Files.readString(file));
    }
}
