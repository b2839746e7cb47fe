package io.culvert.engine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.daemon.protocol.Op;
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
        for (Op op : List.of(Op.START_CLIENT, Op.LIST, Op.WATCH, Op.ANSWER_PROMPT)) {
            assertNull(auth.refusal(bob, op, -1), op.wire());
        }
        assertNull(auth.refusal(bob, Op.DISCONNECT, 1000));
        assertNull(auth.refusal(bob, Op.CLIENT_STATUS, 1000));
        assertTrue(auth.sees(bob, 1000));
        assertFalse(auth.sees(bob, 1001), "another user's handle is invisible (the dispatcher answers NOT_FOUND)");
        assertFalse(auth.sees(carol, 1000));
    }

    @Test
    void serverManagementIsForAdmins() {
        for (Op op : List.of(Op.START_SERVER, Op.STOP_SERVER, Op.SERVER_STATUS, Op.KICK)) {
            String r = auth.refusal(bob, op, -1);
            assertNotNull(r, op.wire());
            assertTrue(r.contains("needs an admin") && r.contains("culvert-admin or sudo"), r);
            assertNull(auth.refusal(admin, op, 1000), op.wire());
            assertNull(auth.refusal(root, op, 1000), op.wire());
        }
    }

    @Test
    void adminsMayStopAnyonesClient() {
        assertNull(auth.refusal(admin, Op.DISCONNECT, 1000));
        assertNull(auth.refusal(root, Op.DISCONNECT, 1000));
        assertTrue(auth.sees(admin, 1000));
        assertTrue(auth.sees(root, 1000));
        assertFalse(auth.sees(mallory, 1003), "a non-member sees nothing, not even its own");
    }

    @Test
    void nonMembersAreRefusedEverything() {
        for (Op op : List.of(Op.START_CLIENT, Op.LIST, Op.WATCH, Op.START_SERVER)) {
            assertEquals("mallory (uid 1003) is not a member of group culvert", auth.refusal(mallory, op, -1));
        }
    }

    @Test
    void unknownOperationsAreRefused() {
        assertEquals("unknown operation 'shell'", auth.refusal(root, "shell"));
        assertEquals("unknown operation ''", auth.refusal(bob, ""));
        assertEquals("mallory (uid 1003) is not a member of group culvert", auth.refusal(mallory, "shell"),
                "a non-member learns nothing of which operations exist");
    }

    @Test
    void anOperationSpeltOnTheWireGetsItsOwnRule() {
        assertNull(auth.refusal(bob, Op.LIST.wire()));
        assertEquals(auth.refusal(bob, Op.KICK, -1), auth.refusal(bob, Op.KICK.wire()));
        assertTrue(auth.refusal(bob, Op.KICK.wire()).startsWith("'kick' needs an admin"));
    }

    @Test
    void everyOperationHasARule() {
        for (Op op : Op.values()) {
            assertNull(auth.refusal(root, op, 0), op.wire());
            assertNotNull(auth.refusal(mallory, op, -1), op.wire());
        }
    }

    @Test
    void onlyTheOwnerOrRootUpdatesAHostedServersFiles() {
        Caller other = caller(account("otto", 1005, "otto", "culvert", "culvert-admin"));
        assertNull(auth.refusal(admin, Op.UPDATE_SERVER_FILES, admin.uid()), "the owner may");
        assertNull(auth.refusal(root, Op.UPDATE_SERVER_FILES, admin.uid()), "root may");
        assertEquals("'updateServerFiles' is for the admin who started that server",
                auth.refusal(other, Op.UPDATE_SERVER_FILES, admin.uid()));
        assertNull(auth.refusal(other, Op.STOP_SERVER, admin.uid()), "any admin still stops any server");
        assertTrue(auth.refusal(bob, Op.UPDATE_SERVER_FILES, bob.uid()).contains("needs an admin"));
    }

    @Test
    void onlyTheOwnerOrRootSendsAPushUpdateThroughAHostedServer() {
        Caller other = caller(account("otto", 1005, "otto", "culvert", "culvert-admin"));
        assertNull(auth.refusal(admin, Op.PUSH_UPDATE, admin.uid()), "the owner may");
        assertNull(auth.refusal(root, Op.PUSH_UPDATE, admin.uid()), "root may");
        assertEquals("'pushUpdate' is for the admin who started that server", auth.refusal(other, Op.PUSH_UPDATE, admin.uid()));
        assertTrue(auth.refusal(bob, Op.PUSH_UPDATE, bob.uid()).contains("needs an admin"));
    }
}
