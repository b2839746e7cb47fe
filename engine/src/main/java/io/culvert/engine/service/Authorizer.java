package io.culvert.engine.service;

import io.culvert.engine.daemon.protocol.Protocol;
import java.util.Set;

/**
 * The service's access rules, in one place: who gets which {@link Role}, and which role may perform which
 * operation on whose handle. Immutable and thread-safe.
 */
public final class Authorizer {
    private static final Set<String> MEMBER_OPS = Set.of(Protocol.OP_START_CLIENT, Protocol.OP_DISCONNECT,
            Protocol.OP_CLIENT_STATUS, Protocol.OP_LIST, Protocol.OP_WATCH, Protocol.OP_ANSWER_PROMPT);
    private static final Set<String> ADMIN_OPS = Set.of(Protocol.OP_START_SERVER, Protocol.OP_STOP_SERVER,
            Protocol.OP_SERVER_STATUS, Protocol.OP_KICK, Protocol.OP_UPDATE_SERVER_FILES, Protocol.OP_PUSH_UPDATE);
    /**
     * Admin operations only the handle's owner (or root) may perform: they replace what the owner sent, or change
     * what the owner's configuration gives its clients (routes, DNS, addresses by PUSH_UPDATE).
     */
    private static final Set<String> OWNER_OPS = Set.of(Protocol.OP_UPDATE_SERVER_FILES, Protocol.OP_PUSH_UPDATE);

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
    public String refusal(Caller caller, String op, long ownerUid) {
        if (caller.role() == Role.NONE) {
            return caller.describe() + " is not a member of group " + memberGroup;
        }
        if (ADMIN_OPS.contains(op)) {
            if (!caller.isAdmin()) {
                return "'" + op + "' needs an admin (root, or a member of " + String.join(" or ",
                        adminGroups.stream().sorted().toList()) + ")";
            }
            boolean foreign = ownerUid >= 0 && ownerUid != caller.uid() && caller.uid() != 0;
            return OWNER_OPS.contains(op) && foreign ? "'" + op + "' is for the admin who started that server" : null;
        }
        if (!MEMBER_OPS.contains(op)) {
            return "unknown operation '" + op + "'";
        }
        return null;
    }

    /** Whether {@code caller} may know of a handle owned by {@code ownerUid}: its own, or any for an admin. */
    public boolean sees(Caller caller, long ownerUid) {
        return caller.role() != Role.NONE && (caller.isAdmin() || ownerUid == caller.uid());
    }
}
