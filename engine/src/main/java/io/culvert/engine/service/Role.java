package io.culvert.engine.service;

/** What a caller may do, decided once per connection from its kernel-reported identity. */
public enum Role {
    /** Not a member of the service's group: refused and disconnected. */
    NONE,
    /** A member: starts, watches and stops its own client connections. */
    OPERATOR,
    /** Root or a member of an admin group: everything, including servers and other users' clients. */
    ADMIN
}
