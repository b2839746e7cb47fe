package io.culvert.engine.service;

import io.culvert.engine.daemon.protocol.Op;
import java.util.Set;

/**
 * The service's access rules, in one place: who gets which {@link Role}, and which role may perform which
 * operation on whose handle. Immutable and thread-safe.
 */
public final class Authorizer {
    /** What an operation asks of its caller, beyond membership. */
    private enum Need {
        /** Any member: its own clients, or any client for an admin. */
        MEMBER,
        /** An admin. */
        ADMIN,
        /**
         * An admin who started the handle (or root): the operation replaces what the owner sent, or changes what the
         * owner's configuration gives its clients (routes, DNS, addresses by PUSH_UPDATE).
         */
        OWNER
    }

    /** Every operation's rule; exhaustive, so an operation cannot be added without one. */
    private static Need need(Op op) {
        return switch (op) {
            case START_CLIENT, DISCONNECT, CLIENT_STATUS, LIST, WATCH, ANSWER_PROMPT -> Need.MEMBER;
            case START_SERVER, STOP_SERVER, SERVER_STATUS, KICK -> Need.ADMIN;
            case UPDATE_SERVER_FILES, PUSH_UPDATE -> Need.OWNER;
        };
    }

    private final String memberGroup;
    private final Set<String> adminGroups;

    /**
     * @param memberGroup the group whose members may use the service (it also owns the socket)
     * @param adminGroups groups whose members are admins; root always is
     */
    public Authorizer(String memberGroup, Set<String> adminGroups) {
        this.memberGroup = memberGroup;
        this.adminGroups = Set.copyOf(adminGroups);
    }

    public String memberGroup() {
        return memberGroup;
    }

    public Set<String> adminGroups() {
        return adminGroups;
    }

    public Role roleOf(Account a) {
        if (a.uid() == 0) {
            return Role.ADMIN;
        }
        boolean member = a.groups().contains(memberGroup);
        if (member && a.groups().stream().anyMatch(adminGroups::contains)) {
            return Role.ADMIN;
        }
        return member ? Role.OPERATOR : Role.NONE;
    }

    /**
     * Whether {@code caller} may perform {@code op} at all, or on a handle owned by {@code ownerUid} (-1 when the request
     * names none). A handle the caller may not {@linkplain #sees see} is not a refusal but a missing handle: the
     * dispatcher answers NOT_FOUND for both, so other users' handles cannot be probed.
     *
     * @return null when allowed, else the reason for the refusal
     */
    public String refusal(Caller caller, Op op, long ownerUid) {
        if (caller.role() == Role.NONE) {
            return notMember(caller);
        }
        Need need = need(op);
        if (need == Need.MEMBER) {
            return null;
        }
        if (!caller.isAdmin()) {
            return "'" + op.wire() + "' needs an admin (root, or a member of " + String.join(" or ",
                    adminGroups.stream().sorted().toList()) + ")";
        }
        boolean foreign = ownerUid >= 0 && ownerUid != caller.uid() && caller.uid() != 0;
        return need == Need.OWNER && foreign ? "'" + op.wire() + "' is for the admin who started that server" : null;
    }

    /**
     * The refusal for a request the codec could not type, whose {@code "op"} was spelt {@code opName}: a non-member is
     * told so first, whatever it asked; an operation that does not exist is refused as such.
     *
     * @return null when the operation exists and {@code caller} may use it, else the reason for the refusal
     */
    public String refusal(Caller caller, String opName) {
        if (caller.role() == Role.NONE) {
            return notMember(caller);
        }
        Op op = Op.of(opName);
        return op == null ? "unknown operation '" + opName + "'" : refusal(caller, op, -1);
    }

    private String notMember(Caller caller) {
        return caller.describe() + " is not a member of group " + memberGroup;
    }

    /** Whether {@code caller} may know of a handle owned by {@code ownerUid}: its own, or any for an admin. */
    public boolean sees(Caller caller, long ownerUid) {
        return caller.role() != Role.NONE && (caller.isAdmin() || ownerUid == caller.uid());
    }
}
