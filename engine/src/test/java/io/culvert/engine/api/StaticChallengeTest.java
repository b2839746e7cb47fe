package io.culvert.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The password field a static challenge produces, as OpenVPN's SCRV1 form or concatenated. */
class StaticChallengeTest {

    @Test
    void scrv1CarriesPasswordAndResponseInBase64() {
        StaticChallenge c = StaticChallenge.of(List.of("Enter OTP", "1")).orElseThrow();
        assertEquals(new StaticChallenge("Enter OTP", true, false), c);
        // base64("hunter2") = aHVudGVyMg==, base64("123456") = MTIzNDU2
        assertEquals("SCRV1:aHVudGVyMg==:MTIzNDU2", c.wirePassword("hunter2", "123456"));
    }

    @Test
    void concatAppendsTheResponse() {
        StaticChallenge c = StaticChallenge.of(List.of("Code", "0", "concat")).orElseThrow();
        assertEquals(new StaticChallenge("Code", false, true), c);
        assertEquals("hunter2123456", c.wirePassword("hunter2", "123456"));
        assertEquals(Optional.empty(), StaticChallenge.of(List.of()));
    }
}
