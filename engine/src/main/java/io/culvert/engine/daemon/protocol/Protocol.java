package io.culvert.engine.daemon.protocol;

/** Names and limits of the culvertd protocol, version {@value #VERSION} (docs/protocol.md). */
public final class Protocol {
    private Protocol() {}

    /** The protocol version this build speaks; a hello with any other version is refused. */
    public static final int VERSION = 2;
    /** Where the installed service listens. */
    public static final java.nio.file.Path DEFAULT_SOCKET = java.nio.file.Path.of("/run/culvert/culvertd.sock");
    /** Longest accepted line in bytes, newline excluded; a longer line closes the connection. */
    public static final int MAX_LINE_BYTES = 1024 * 1024;

    /** Message types (the {@code "type"} member). */
    public static final String HELLO = "hello";
    public static final String REQUEST = "request";
    public static final String RESPONSE = "response";
    public static final String EVENT = "event";
    public static final String STOPPED = "stopped";
    public static final String PROMPT = "prompt";
    /** A connection-level failure (refused caller, bad hello, malformed line); the service closes afterwards. */
    public static final String ERROR = "error";

    /** Operations (the {@code "op"} member of a request); {@link Op} is their typed set. */
    public static final String OP_START_CLIENT = "startClient";
    public static final String OP_DISCONNECT = "disconnect";
    public static final String OP_CLIENT_STATUS = "clientStatus";
    public static final String OP_LIST = "list";
    public static final String OP_WATCH = "watch";
    public static final String OP_ANSWER_PROMPT = "answerPrompt";
    public static final String OP_START_SERVER = "startServer";
    public static final String OP_STOP_SERVER = "stopServer";
    public static final String OP_SERVER_STATUS = "serverStatus";
    public static final String OP_KICK = "kick";
    /** Since version 2: the owner of a hosted server sends it a new CRL and client-config-dir entries. */
    public static final String OP_UPDATE_SERVER_FILES = "updateServerFiles";
    /**
     * Since version 2: the owner of a hosted server sends its connected clients a PUSH_UPDATE (OpenVPN 2.7), to one
     * peer-id or to all; answered with how many got it.
     */
    public static final String OP_PUSH_UPDATE = "pushUpdate";
}
