package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetnsConditionTest {

    @Test
    void reportsMissingTool() {
        assertTrue(NetnsCondition.missing("no-such-tool-cvt").contains("no-such-tool-cvt is not on the PATH"));
    }

    @Test
    void findsToolsOnPath() {
        assertTrue(NetnsCondition.which("sh").isPresent());
    }
}
