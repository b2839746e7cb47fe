package io.culvert.engine.server.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AddressMapTest {

    private record Key(long hi, long lo) {}

    @Test
    void agreesWithHashMapUnderRandomPutsAndRemoves() {
        AddressMap<Integer> map = new AddressMap<>();
        Map<Key, Integer> reference = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            // A small key space forces collisions, long probe chains and deletions in the middle of them.
            Key k = new Key(random.nextInt(4), random.nextInt(3000));
            if (random.nextInt(3) == 0) {
                assertEquals(reference.remove(k), map.remove(k.hi(), k.lo()));
            } else {
                assertEquals(reference.put(k, step), map.put(k.hi(), k.lo(), step));
            }
        }
        assertEquals(reference.size(), map.size());
        for (long hi = 0; hi < 4; hi++) {
            for (long lo = 0; lo < 3000; lo++) {
                assertEquals(reference.get(new Key(hi, lo)), map.get(hi, lo), hi + "/" + lo);
            }
        }
    }

    @Test
    void distinguishesKeysDifferingOnlyInTheHighWord() {
        AddressMap<String> map = new AddressMap<>();
        map.put(1, 5, "a");
        map.put(2, 5, "b");
        assertEquals("a", map.get(1, 5));
        assertEquals("b", map.get(2, 5));
        assertNull(map.get(3, 5));
    }

    @Test
    void rejectsNullValues() {
        assertThrows(NullPointerException.class, () -> new AddressMap<String>().put(0, 0, null));
    }
}
