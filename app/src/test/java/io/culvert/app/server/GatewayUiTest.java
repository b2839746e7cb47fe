package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.AppContext;
import io.culvert.app.CulvertApp;
import io.culvert.app.common.Messages;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import io.culvert.engine.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Issue 13's gateway option through the real UI over the real engine (in-memory devices and an in-memory nftables
 * model, loopback sockets): the wizard's Forwarding step writes the culvert-gateway and culvert-nat-route lines, the
 * Edit dialog shows them, an edit of another setting keeps them, and the manager shows what the server forwards and,
 * while it runs, the rules in Culvert's table.
 */
@ExtendWith(ApplicationExtension.class)
class GatewayUiTest {
    private static final Messages M = Messages.of("server");
    @TempDir
    Path dir;
    private AppContext context;
    private ExecutorService background;

    @Start
    void start(Stage s) {
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        background = Executors.newVirtualThreadPerTaskExecutor();
        context = new AppContext(engine, dir, background,
                io.culvert.engine.profiles.LocalProfiles.open(dir.resolve("culvert.db"), false, InstantSource.system()),
                LocalServerAdmin.open(engine, dir, InstantSource.system()));
        new CulvertApp().start(s, context);
    }

    @AfterEach
    void stop() {
        context.servers().close();
        background.shutdownNow();
    }

    @Test
    void theGatewayChosenInTheWizardIsWrittenShownInEditAndSurvivesAnEdit(FxRobot robot) throws Exception {
        int port = FreePorts.udp();
        robot.clickOn("#nav-servers");
        robot.clickOn("#server-new");
        robot.clickOn("#wizard-name").write("office");
        robot.clickOn("#wizard-publicHost").write("127.0.0.1");
        robot.clickOn("#wizard-next").clickOn("#wizard-next");
        robot.clickOn("#wizard-port");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write(Integer.toString(port));
        robot.clickOn("#wizard-bind").write("127.0.0.1");
        robot.clickOn("#wizard-next").clickOn("#wizard-next");
        assertTrue(robot.lookup("#wizard-gateway-resolvers").queryTextInputControl().isDisabled(), "off until asked for");
        robot.clickOn("#wizard-gateway");
        @SuppressWarnings("unchecked")
        ComboBox<String> outbound = robot.lookup("#wizard-gateway-if").queryAs(ComboBox.class);
        assertEquals("auto", outbound.getItems().getFirst(), "auto first, then the host's interfaces");
        robot.interact(() -> outbound.setValue("wan7"));
        robot.clickOn("#wizard-gateway-family-IPV6");
        assertTrue(robot.lookup("#wizard-create").queryButton().isDisabled(), "IPv6 needs server-ipv6");
        assertEquals(M.get("wizard.error.gatewayIpv6"), label(robot, "#wizard-problems"));
        robot.clickOn("#wizard-gateway-family-IPV4");
        robot.clickOn("#wizard-gateway-resolvers").write("9.9.9.9");
        robot.clickOn("#wizard-reach").write("192.168.50.0/24 lan7");
        robot.clickOn("#wizard-create");
        waitFor(() -> "office".equals(label(robot, "#server-name")), "the new server");

        Path conf = dir.resolve("servers/office/server.conf");
        String written = Files.readString(conf);
        assertTrue(written.contains("\nsetenv opt culvert-gateway wan7 ipv4 9.9.9.9\n"), written);
        assertTrue(written.contains("\nsetenv opt culvert-nat-route 192.168.50.0/24 lan7 nat\n"), written);
        String expected = "Clients' Internet traffic goes out through this server via wan7 (IPv4), DNS: 9.9.9.9"
                + " \u00b7 Clients reach 192.168.50.0/24";
        assertEquals(expected, M.get("server.gateway", "wan7", "IPv4", "9.9.9.9") + " \u00b7 "
                + M.get("server.reach", "192.168.50.0/24"));
        waitFor(() -> expected.equals(label(robot, "#server-forwarding")), "the manager shows what the server forwards");

        // Edit: the Forwarding step shows the option checked; a new port keeps the lines.
        robot.clickOn("#server-edit");
        for (int i = 0; i < 4; i++) {
            robot.clickOn("#wizard-next");
        }
        assertTrue(robot.lookup("#wizard-gateway").queryAs(CheckBox.class).isSelected(), "the Edit dialog shows it checked");
        assertEquals("wan7", robot.lookup("#wizard-gateway-if").queryAs(ComboBox.class).getValue());
        assertEquals("9.9.9.9", robot.lookup("#wizard-gateway-resolvers").queryTextInputControl().getText());
        assertEquals("192.168.50.0/24 lan7 nat", robot.lookup("#wizard-reach").queryTextInputControl().getText());
        robot.clickOn("#wizard-back").clickOn("#wizard-back");
        int newPort = FreePorts.udp();
        robot.clickOn("#wizard-port");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write(Integer.toString(newPort));
        robot.clickOn("#wizard-create");
        waitFor(() -> Files.readString(conf).contains("port " + newPort + "\n"), "the edit is saved");
        String after = Files.readString(conf);
        assertTrue(after.contains("\nsetenv opt culvert-gateway wan7 ipv4 9.9.9.9\n"), after);
        assertTrue(after.contains("\nsetenv opt culvert-nat-route 192.168.50.0/24 lan7 nat\n"), after);

        // Running: the manager lists the rules as Culvert's table holds them; stopped, they are gone.
        assertFalse(robot.lookup("#server-nat-rules").queryAs(Label.class).isVisible());
        robot.clickOn("#server-start");
        waitFor(() -> label(robot, "#server-state").startsWith(M.get("server.state.running", "").strip()), "it runs");
        waitFor(() -> !label(robot, "#server-nat-rules").isEmpty(), "the NAT rules are shown");
        String rules = label(robot, "#server-nat-rules");
        assertTrue(rules.startsWith(M.get("server.natRules")), rules);
        assertTrue(rules.contains("ip saddr 10.8.0.0/24 ip daddr 192.168.50.0/24 oifname \"lan7\" masquerade"), rules);
        assertTrue(rules.contains("ip saddr 10.8.0.0/24 oifname \"wan7\" masquerade"), rules);
        assertTrue(robot.lookup("#server-nat-rules").queryAs(Label.class).isVisible());
        robot.clickOn("#server-stop");
        waitFor(() -> label(robot, "#server-state").equals(M.get("server.state.stopped")), "it stops");
        assertEquals("", label(robot, "#server-nat-rules"));
    }

    /**
     * IPv6 gateway (NAT66, ADR 0034): an IPv6 network on the Network step makes the Forwarding step's gateway choose
     * Both, shown on its radio; the config gets server-ipv6 and 'culvert-gateway ... both', which the engine reads as
     * IPv6 forwarding; while it runs the manager shows the ip6 masquerade rule; an Edit that clears the IPv6 network
     * puts the choice back to IPv4.
     */
    @Test
    void anIpv6NetworkMakesTheGatewayForwardIpv6TooShownAndWritten(FxRobot robot) throws Exception {
        robot.clickOn("#nav-servers");
        robot.clickOn("#server-new");
        robot.clickOn("#wizard-name").write("v6");
        robot.clickOn("#wizard-publicHost").write("127.0.0.1");
        robot.clickOn("#wizard-next");
        robot.clickOn("#wizard-ipv6").write("fd00:8::1/64");
        assertEquals(M.get("wizard.error.ipv6"), label(robot, "#wizard-problems"));
        robot.clickOn("#wizard-ipv6");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("fd00:8::/64");
        assertEquals("", label(robot, "#wizard-problems"));
        robot.clickOn("#wizard-next");
        robot.clickOn("#wizard-port");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write(Integer.toString(FreePorts.udp()));
        robot.clickOn("#wizard-bind").write("127.0.0.1");
        robot.clickOn("#wizard-next").clickOn("#wizard-next");
        robot.clickOn("#wizard-gateway");
        @SuppressWarnings("unchecked")
        ComboBox<String> outbound = robot.lookup("#wizard-gateway-if").queryAs(ComboBox.class);
        robot.interact(() -> outbound.setValue("wan7"));
        assertTrue(robot.lookup("#wizard-gateway-family-BOTH").queryAs(RadioButton.class).isSelected(),
                "with an IPv6 network the gateway forwards IPv6 too");
        assertEquals(M.get("wizard.gateway.family.BOTH"), robot.lookup("#wizard-gateway-family-BOTH")
                .queryAs(RadioButton.class).getText());
        assertEquals("", label(robot, "#wizard-problems"));
        robot.clickOn("#wizard-create");
        waitFor(() -> "v6".equals(label(robot, "#server-name")), "the new server");

        Path conf = dir.resolve("servers/v6/server.conf");
        String written = Files.readString(conf);
        assertTrue(written.contains("\nserver-ipv6 fd00:8::/64\n"), written);
        assertTrue(written.contains("\nsetenv opt culvert-gateway wan7 both\n"), written);
        io.culvert.engine.config.Gateway read = io.culvert.engine.config.ServerConfig.load(conf, false).routing().gateway();
        assertTrue(read.ipv4() && read.ipv6(), "the engine reads IPv4 and IPv6 forwarding: " + read);
        String shown = M.get("server.gateway", "wan7", M.get("wizard.gateway.family.BOTH"), M.get("server.gateway.ownResolvers"));
        waitFor(() -> shown.equals(label(robot, "#server-forwarding")), "the manager shows both families");

        robot.clickOn("#server-start");
        waitFor(() -> label(robot, "#server-state").startsWith(M.get("server.state.running", "").strip()), "it runs");
        waitFor(() -> label(robot, "#server-nat-rules").contains("ip6 saddr fd00:8::/64 oifname \"wan7\" masquerade"),
                "the NAT66 rule is shown");
        robot.clickOn("#server-stop");
        waitFor(() -> label(robot, "#server-state").equals(M.get("server.state.stopped")), "it stops");

        robot.clickOn("#server-edit");
        robot.clickOn("#wizard-next");
        assertEquals("fd00:8::/64", robot.lookup("#wizard-ipv6").queryTextInputControl().getText());
        robot.clickOn("#wizard-ipv6");
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).type(KeyCode.BACK_SPACE);
        for (int i = 0; i < 3; i++) {
            robot.clickOn("#wizard-next");
        }
        assertTrue(robot.lookup("#wizard-gateway-family-IPV4").queryAs(RadioButton.class).isSelected(),
                "without an IPv6 network the gateway is IPv4 only");
        robot.clickOn("#wizard-create");
        waitFor(() -> Files.readString(conf).contains("culvert-gateway wan7 ipv4\n"), "the edit is saved");
        assertFalse(Files.readString(conf).contains("server-ipv6"), Files.readString(conf));
    }

    private static String label(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }


    private static void waitFor(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out: " + what, e);
        }
    }
}
