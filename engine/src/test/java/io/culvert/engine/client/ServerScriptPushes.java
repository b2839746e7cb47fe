package io.culvert.engine.client;

import io.culvert.engine.testkit.ServerScript;

/** PUSH_REPLY texts shared by the client session tests. */
final class ServerScriptPushes {
    static final String DEFAULT = ServerScript.DEFAULT_PUSH;

    private ServerScriptPushes() {}
}
