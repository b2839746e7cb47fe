package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SynCaptureTest {
    /** tcpdump 4.99.3 {@code -i any -nn -l} in a server namespace: the SYN arrives clamped, the SYN-ACK leaves unclamped. */
    private static final String LOG = """
            tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
            listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
            05:05:14.550661 tun0  In  IP 10.77.0.2.41378 > 10.77.0.1.5201: Flags [S], seq 722328292, win 64240, \
            options [mss 1400,sackOK,TS val 3680920331 ecr 0,nop,wscale 10], length 0
            05:05:14.550672 tun0  Out IP 10.77.0.1.5201 > 10.77.0.2.41378: Flags [S.], seq 1987343290, ack 722328293, \
            win 65160, options [mss 1460,sackOK,TS val 3810400977 ecr 3680920331,nop,wscale 10], length 0
            2 packets captured
            """;

    @Test
    void readsDirectionFlagsAndMss() {
        List<SynCapture.Syn> syns = SynCapture.parse(LOG);
        assertEquals(List.of(new SynCapture.Syn(true, false, 1400), new SynCapture.Syn(false, true, 1460)), syns);
        assertEquals(1400, SynCapture.inboundMss(syns, false).getAsInt());
        assertTrue(SynCapture.inboundMss(syns, true).isEmpty(), "the outbound SYN-ACK is not what this end was offered");
    }
}
