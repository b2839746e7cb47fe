package io.culvert.engine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.daemon.protocol.Protocol;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizerTest {
    private final Authorizer auth = new Authorizer("culvert", Set.of("culvert-admin", "sudo"));

    private static Account account(String name, long uid, String... groups) {
        return new Account(name, uid, uid, Set.of(groups));
    }

    private Caller caller(Account a) {
        return new Caller(a, auth.roleOf(a));
    }

    private final Caller bob = caller(account("bob", 1000, "bob", "culvert"));
    private final Caller carol = caller(account("carol", 1001, "carol", "culvert"));
    private final Caller admin = caller(account("ann", 1002, "ann", "culvert", "sudo"));
    private final Caller root = caller(account("root", 0, "root"));
    private final Caller mallory = caller(account("mallory", 1003, "mallory", "sudo"));

    @Test
    void rolesFollowGroupMembership() {
        assertEquals(Role.OPERATOR, bob.role());
        assertEquals(Role.ADMIN, admin.role());
        assertEquals(Role.ADMIN, root.role(), "root is always an admin");
        assertEquals(Role.NONE, mallory.role(), "an admin group alone does not let a non-member in");
        assertEquals(Role.NONE, caller(account("eve", 1004, "eve", "users")).role());
    }

    @Test
    void primaryGroupCountsAsMembership() {
        assertEquals(Role.OPERATOR, auth.roleOf(new Account("svc", 1005, 999, Set.of("culvert"))));
    }

    @Test
    void operatorsManageTheirOwnClientsOnly() {
        for (String op : List.of(Protocol.OP_START_CLIENT, Protocol.OP_LIST, Protocol.OP_WATCH, Protocol.OP_ANSWER_PROMPT)) {
            assertNull(auth.refusal(bob, op, -1), op);
        }
        assertNull(auth.refusal(bob, Protocol.OP_DISCONNECT, 1000));
        assertNull(auth.refusal(bob, Protocol.OP_CLIENT_STATUS, 1000));
        assertTrue(auth.sees(bob, 1000));
        assertFalse(auth.sees(bob, 1001), "another user's handle is invisible (the dispatcher answers NOT_FOUND)");
        assertFalse(auth.sees(carol, 1000));
    }

    @Test
    void serverManagementIsForAdmins() {
        for (String op : List.of(Protocol.OP_START_SERVER, Protocol.OP_STOP_SERVER, Protocol.OP_SERVER_STATUS, Protocol.OP_KICK)) {
            String r = auth.refusal(bob, op, -1);
            assertNotNull(r, op);
            assertTrue(r.contains("needs an admin") && r.contains("culvert-admin or sudo"), r);
            assertNull(auth.refusal(admin, op, 1000), op);
            assertNull(auth.refusal(root, op, 1000), op);
        }
    }

    @Test
    void adminsMayStopAnyonesClient() {
        assertNull(auth.refusal(admin, Protocol.OP_DISCONNECT, 1000));
        assertNull(auth.refusal(root, Protocol.OP_DISCONNECT, 1000));
        assertTrue(auth.sees(admin, 1000));
        assertTrue(auth.sees(root, 1000));
        assertFalse(auth.sees(mallory, 1003), "a non-member sees nothing, not even its own");
    }

    @Test
    void nonMembersAreRefusedEverything() {
        for (String op : List.of(Protocol.OP_START_CLIENT, Protocol.OP_LIST, Protocol.OP_WATCH, Protocol.OP_START_SERVER)) {
            assertEquals("mallory (uid 1003) is not a member of group culvert", auth.refusal(mallory, op, -1));
        }
    }

    @Test
    void unknownOperationsAreRefused() {
        assertEquals("unknown operation 'shell'", auth.refusal(root, "shell", -1));
    }

    @Test
    void onlyTheOwnerOrRootUpdatesAHostedServersFiles() {
        Caller other = caller(account("otto", 1005, "otto", "culvert", "culvert-admin"));
        assertNull(auth.refusal(admin, Protocol.OP_UPDATE_SERVER_FILES, admin.uid()), "the owner may");
        assertNull(auth.refusal(root, Protocol.OP_UPDATE_SERVER_FILES, admin.uid()), "root may");
        assertEquals("'updateServerFiles' is for the admin who started that server",
                auth.refusal(other, Protocol.OP_UPDATE_SERVER_FILES, admin.uid()));
        assertNull(auth.refusal(other, Protocol.OP_STOP_SERVER, admin.uid()), "any admin still stops any server");
        assertTrue(auth.refusal(bob, Protocol.OP_UPDATE_SERVER_FILES, bob.uid()).contains("needs an admin"));
    }

    @Test
    void onlyTheOwnerOrRootSendsAPushUpdateThroughAHostedServer() {
        Caller other = caller(account("otto", 1005, "otto", "culvert", "culvert-admin"));
        assertNull(auth.refusal(admin, Protocol.OP_PUSH_UPDATE, admin.uid()), "the owner may");
        assertNull(auth.refusal(root, Protocol.OP_PUSH_UPDATE, admin.uid()), "root may");
        assertEquals("'pushUpdate' is for the admin who started that server", auth.refusal(other, Protocol.OP_PUSH_UPDATE, admin.uid()));
        assertTrue(auth.refusal(bob, Protocol.OP_PUSH_UPDATE, bob.uid()).contains("needs an admin"));
    }
}
