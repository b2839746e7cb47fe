package io.culvert.engine.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which pairs the client-to-client pair policy lets talk, in each mode. */
class PairPolicyTest {
    private static final PairPolicy.Rule ALICE_BOB = new PairPolicy.Rule(Set.of("alice"), Set.of("bob"), 7);
    private static final PairPolicy.Rule GUESTS_STAFF =
            new PairPolicy.Rule(Set.of("guest1", "guest2"), Set.of("alice", "carol"), 8);

    @Test
    void openAllowsEveryPair() {
        assertTrue(PairPolicy.OPEN.isOpen());
        assertTrue(PairPolicy.OPEN.allows("alice", "bob"));
        assertTrue(PairPolicy.OPEN.allows(null, "bob"));
    }

    @Test
    void aDenyRuleDeniesBothDirectionsAndNothingElse() {
        PairPolicy p = new PairPolicy(PairPolicy.Mode.DENY_LISTED, List.of(ALICE_BOB));
        assertFalse(p.isOpen());
        assertFalse(p.allows("alice", "bob"));
        assertFalse(p.allows("bob", "alice"));
        assertTrue(p.allows("alice", "carol"));
        assertTrue(p.allows("carol", "bob"));
        assertTrue(p.allows(null, "bob"), "a client without a name matches no rule");
    }

    @Test
    void groupRulesCoverEveryPairAcrossTheSides() {
        PairPolicy p = new PairPolicy(PairPolicy.Mode.DENY_LISTED, List.of(GUESTS_STAFF));
        for (String guest : List.of("guest1", "guest2")) {
            for (String staff : List.of("alice", "carol")) {
                assertFalse(p.allows(guest, staff), guest + " -> " + staff);
                assertFalse(p.allows(staff, guest), staff + " -> " + guest);
            }
        }
        assertTrue(p.allows("guest1", "guest2"), "the sides are not denied among themselves");
        assertTrue(p.allows("alice", "carol"));
    }

    @Test
    void aGroupAgainstItselfSeparatesItsMembersButNeverAClientFromItself() {
        PairPolicy.Rule guests = new PairPolicy.Rule(Set.of("guest1", "guest2"), Set.of("guest1", "guest2"), 9);
        PairPolicy p = new PairPolicy(PairPolicy.Mode.DENY_LISTED, List.of(guests));
        assertFalse(p.allows("guest1", "guest2"));
        assertTrue(p.allows("guest1", "guest1"));
    }

    @Test
    void allowOnlyAllowsTheListedPairsAndDeniesTheRest() {
        PairPolicy p = new PairPolicy(PairPolicy.Mode.ALLOW_ONLY_LISTED, List.of(ALICE_BOB));
        assertTrue(p.allows("alice", "bob"));
        assertTrue(p.allows("bob", "alice"));
        assertFalse(p.allows("alice", "carol"));
        assertFalse(p.allows("carol", "bob"));
        assertFalse(p.allows(null, "bob"), "a client without a name is allowed nothing");
        assertTrue(p.allows("carol", "carol"), "two instances of one client (duplicate-cn) are one client");
        assertFalse(new PairPolicy(PairPolicy.Mode.ALLOW_ONLY_LISTED, List.of()).isOpen(), "allow-only alone: no pair");
    }

    @Test
    void theServerLogSaysWhatThePolicyIs() {
        assertEquals("deny alice <-> bob (line 7); deny [guest1, guest2] <-> [alice, carol] (line 8)",
                new PairPolicy(PairPolicy.Mode.DENY_LISTED, List.of(ALICE_BOB, GUESTS_STAFF)).describe());
        assertEquals("allow only nothing", new PairPolicy(PairPolicy.Mode.ALLOW_ONLY_LISTED, List.of()).describe());
    }

    @Test
    void aModeIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> new PairPolicy(null, List.of()));
    }
}
