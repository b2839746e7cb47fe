package io.culvert.engine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SystemAccountsTest {

    @Test
    void parsesIdOutput() {
        assertEquals(new Account("bob", 1000, 100, Set.of("users", "bob", "sudo", "culvert")),
                SystemAccounts.parse("bob", "uid=1000(bob) gid=100(users) groups=100(users),1000(bob),27(sudo),998(culvert)\n").orElseThrow());
    }

    @Test
    void groupsWithoutNamesAreSkipped() {
        assertEquals(Set.of("bob"), SystemAccounts.parse("bob", "uid=1000(bob) gid=1000(bob) groups=1000(bob),4242").orElseThrow().groups());
    }

    @Test
    void garbageIsNoAccount() {
        assertTrue(SystemAccounts.parse("x", "id: 'x': no such user").isEmpty());
        assertTrue(SystemAccounts.parse("x", "").isEmpty());
    }

    @Test
    void looksUpRealAccountsAndRefusesUnknownNames() {
        SystemAccounts accounts = new SystemAccounts();
        Account root = accounts.lookup("root").orElseThrow();
        assertEquals(0, root.uid());
        assertTrue(root.groups().contains("root"));
        assertTrue(accounts.lookup("no-such-user-culvert-test").isEmpty());
        assertTrue(accounts.lookup("--help").isEmpty(), "a name is never taken for an option");
    }
}
