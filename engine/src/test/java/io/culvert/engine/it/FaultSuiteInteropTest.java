package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.it.FaultSuite.Cell;
import io.culvert.engine.it.FaultSuite.Fault;
import io.culvert.engine.it.Pairing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The short variant of the fault-injection suite ({@link FaultSuite}, {@link FaultSuite.Timing#SHORT}): 10 %
 * random loss, 5 % failed client sends, the server SIGKILLed and restarted, the client's interface down and up,
 * and clients joining and leaving, each for Culvert↔Culvert, Culvert client↔stock server and stock↔stock,
 * measured once before the tests (about two and a half minutes) and printed as the suite's table. The long
 * variant is {@code engine/bench/fault-suite.sh}.
 *
 * <p>Three methods test faults that today's main does not yet survive as stock openvpn does (issue 9, items 9
 * and 10): {@link #randomLossBetweenTwoCulvertEnds}, {@link #failedSendsOnTheClientSocket} and
 * {@link #sendsFailWhileTheClientInterfaceIsDown}.
 *
 * <p>"Not collapsed" over a three-second run: Culvert's throughput at least {@link #COLLAPSE_FLOOR} of stock↔stock's in the
 * same run, recovery at most {@link #RECOVERY_SLACK_SECONDS} later. The bound catches what issue 9 fixed (under loss
 * and failed sends Culvert↔Culvert fell to 0.00–0.07× stock, with reconnects) and is loose enough for a shared
 * two-core machine, where one three-second TCP run varies by 2× and more (under loss and failed sends each pairing
 * counts the best of two runs). Parity itself is measured by the long suite, {@code engine/bench/fault-suite.sh},
 * which prints the ratios (a benchmark, not a timed test).
 * Bounds: after a SIGKILL a UDP client notices only through silence (ping-restart 10 s), then reconnects (about
 * 2 s): {@link #KILL_RECOVERY_SECONDS} leaves 18 s for a loaded two-core machine. An interface that was down
 * for 2 s ends no session, so traffic should flow within a ping or two: {@link #FLAP_RECOVERY_SECONDS}.
 */
@NetnsTest(tools = {"iperf3", "nft", "ping"})
@Isolated("compares throughput between pairings measured one after another; other tunnels on the same cores would skew it")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ThroughputRatio
class FaultSuiteInteropTest {
    private static final double COLLAPSE_FLOOR = 0.3;
    private static final double RECOVERY_SLACK_SECONDS = 5;
    private static final double KILL_RECOVERY_SECONDS = 30;
    private static final double FLAP_RECOVERY_SECONDS = 10;
    private static final List<Fault> FAULTS = List.of(Fault.LOSS_10, Fault.SEND_FAILURES, Fault.SERVER_KILLED,
            Fault.INTERFACE_DOWN_UP, Fault.CHURN);
    private static final List<Pairing> PAIRINGS = List.of(Pairing.CULVERT_CULVERT, Pairing.CULVERT_STOCK, Pairing.STOCK_STOCK);

    private FaultSuite suite;
    private Map<Fault, Map<Pairing, Cell>> table;

    @BeforeAll
    void measure(@TempDir Path dir) {
        suite = FaultSuite.create(dir, FaultSuite.Timing.SHORT);
        table = suite.runAll(FAULTS, PAIRINGS);
        System.out.print(FaultSuite.format(table, PAIRINGS));
    }

    @AfterAll
    void tearDown() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void handshakesCompleteAndTrafficFlowsUnderTenPercentLoss() {
        for (Pairing p : PAIRINGS) {
            Cell c = cell(Fault.LOSS_10, p);
            assertEquals(c.attempts(), c.handshakes(), () -> "handshake under 10 % loss: " + describe(c));
            assertTrue(c.mbit() > 0, () -> "no traffic under 10 % loss: " + describe(c));
        }
    }

    @Test
    void culvertClientOnParWithStockUnderTenPercentLossToStockServer() {
        assertNotCollapsed(cell(Fault.LOSS_10, Pairing.CULVERT_STOCK), cell(Fault.LOSS_10, Pairing.STOCK_STOCK));
    }

    /** Issue 9, item 10: two Culvert ends under random loss must move as much as two stock ends. */
    @Test
    void randomLossBetweenTwoCulvertEnds() {
        assertNotCollapsed(cell(Fault.LOSS_10, Pairing.CULVERT_CULVERT), cell(Fault.LOSS_10, Pairing.STOCK_STOCK));
    }

    /** Issue 9, item 9: a send the local firewall refuses (EPERM) is dropped and counted, never a reason to reconnect. */
    @Test
    void failedSendsOnTheClientSocket() {
        Cell stock = cell(Fault.SEND_FAILURES, Pairing.STOCK_STOCK);
        assertEquals(0, stock.restarts(), () -> "stock restarted on failed sends: " + describe(stock));
        for (Pairing p : List.of(Pairing.CULVERT_STOCK, Pairing.CULVERT_CULVERT)) {
            Cell c = cell(Fault.SEND_FAILURES, p);
            assertEquals(0, c.restarts(), () -> "the Culvert client restarted its session on failed sends: " + describe(c));
            assertNotCollapsed(c, stock);
        }
    }

    @Test
    void serverKilledAndRestarted() {
        Cell stock = cell(Fault.SERVER_KILLED, Pairing.STOCK_STOCK);
        for (Pairing p : PAIRINGS) {
            Cell c = cell(Fault.SERVER_KILLED, p);
            assertEquals(2, c.handshakes(), () -> "no new session after the server came back: " + describe(c));
            assertTrue(c.recoverySeconds() <= KILL_RECOVERY_SECONDS, () -> "recovery after kill: " + describe(c));
            assertTrue(c.mbit() > 0, () -> "no traffic after the server came back: " + describe(c));
            assertTrue(c.recoverySeconds() <= stock.recoverySeconds() + RECOVERY_SLACK_SECONDS,
                    () -> "slower to recover than stock: " + describe(c) + " vs " + stock.brief());
        }
    }

    @Test
    void clientInterfaceDownAndUp() {
        Cell stock = cell(Fault.INTERFACE_DOWN_UP, Pairing.STOCK_STOCK);
        for (Pairing p : PAIRINGS) {
            Cell c = cell(Fault.INTERFACE_DOWN_UP, p);
            assertTrue(c.recoverySeconds() <= FLAP_RECOVERY_SECONDS, () -> "recovery after interface up: " + describe(c));
            assertTrue(c.mbit() > 0, () -> "no traffic after the interface came back: " + describe(c));
            assertTrue(c.recoverySeconds() <= stock.recoverySeconds() + RECOVERY_SLACK_SECONDS,
                    () -> "slower to recover than stock: " + describe(c) + " vs " + stock.brief());
        }
    }

    /**
     * Issue 9, item 9: sends that fail with ENETUNREACH while the client's interface is down (traffic keeps entering
     * the tunnel) are dropped, never a reason to reconnect; stock openvpn keeps its session.
     */
    @Test
    void sendsFailWhileTheClientInterfaceIsDown() {
        for (Pairing p : PAIRINGS) {
            Cell c = cell(Fault.INTERFACE_DOWN_UP, p);
            assertEquals(0, c.restarts(), () -> "the session restarted because sends failed while the interface was down: "
                    + describe(c));
        }
    }

    @Test
    void clientsJoinAndLeaveAtRandom() {
        for (Pairing p : PAIRINGS) {
            Cell c = cell(Fault.CHURN, p);
            assertTrue(c.attempts() >= FaultSuite.CHURNERS, () -> "churners did not get going: " + describe(c));
            assertEquals(c.attempts(), c.handshakes(), () -> "a churner could not join: " + describe(c));
            assertTrue(c.mbit() > 0, () -> "no traffic for the steady client during churn: " + describe(c));
            assertEquals(0, c.restarts(), () -> "the steady client lost its session during churn: " + describe(c));
        }
    }

    private Cell cell(Fault f, Pairing p) {
        Cell c = table.get(f).get(p);
        assertTrue(c != null, () -> f + " × " + p + " was not measured");
        return c;
    }

    private static void assertNotCollapsed(Cell culvert, Cell stock) {
        assertTrue(stock.mbit() > 0, () -> "stock moved nothing, so there is nothing to compare with: " + describe(stock));
        assertTrue(culvert.mbit() >= COLLAPSE_FLOOR * stock.mbit(), () -> String.format(
                "%s under %s: %.1f Mbit/s, below %.1f × stock↔stock's %.1f Mbit/s in the same run; %s", culvert.pairing().label(),
                culvert.fault().label(), culvert.mbit(), COLLAPSE_FLOOR, stock.mbit(), describe(culvert)));
    }

    private static String describe(Cell c) {
        return c.pairing().label() + " " + c.brief() + (c.note().isEmpty() ? "" : "\n" + c.note());
    }
}
