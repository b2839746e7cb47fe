package io.culvert.engine.server.route;

/**
 * One end of a counted flow: a client instance, or the server host behind its TUN/TAP device. Instances are immutable.
 */
public sealed interface Endpoint permits InstanceId, Endpoint.Server {

    /** The server host, reached through its TUN/TAP device. */
    Endpoint SERVER = Server.SERVER;

    /** The single non-instance endpoint. */
    enum Server implements Endpoint {
        /** The server host and everything routed behind its device. */
        SERVER
    }
}
