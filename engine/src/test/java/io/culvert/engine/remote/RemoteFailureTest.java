package io.culvert.engine.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import org.junit.jupiter.api.Test;

/** A service error reads like the local one: its kind once, then the detail. */
class RemoteFailureTest {

    @Test
    void theKindIsNotRepeated() {
        EngineException e = RemoteEngine.failure("PERMISSION_DENIED", "PERMISSION_DENIED: line 3: 'up' runs a script");
        assertEquals(ErrorKind.PERMISSION_DENIED, e.kind());
        assertEquals("PERMISSION_DENIED: line 3: 'up' runs a script", e.getMessage());
        assertEquals("AUTH_FAILED: wrong password", RemoteEngine.failure("AUTH_FAILED", "wrong password").getMessage());
        EngineException unknown = RemoteEngine.failure("FUTURE_KIND", "something new");
        assertEquals(ErrorKind.INTERNAL, unknown.kind());
        assertEquals("INTERNAL: FUTURE_KIND: something new", unknown.getMessage());
    }
}
