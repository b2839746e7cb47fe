package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ServerSpec;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerWizardViewModelTest {

    @Test
    void firstStepNeedsAFreeNameAndAPublicHost() {
        ServerWizardViewModel vm = new ServerWizardViewModel(Set.of("office"), "");
        assertEquals(List.of("wizard.error.name", "wizard.error.publicHost"), vm.problems(0));
        assertFalse(vm.stepValidBinding().get());
        assertFalse(vm.next());
        vm.nameProperty().set("office");
        vm.publicHostProperty().set("vpn.example.com");
        assertEquals(List.of("wizard.error.nameTaken"), vm.problems(0));
        vm.nameProperty().set("lab");
        assertTrue(vm.stepValidBinding().get());
        assertTrue(vm.next());
        assertEquals(1, vm.stepProperty().get());
    }

    @Test
    void networkStepChecksMaskSizeAndHostBits() {
        ServerWizardViewModel vm = new ServerWizardViewModel(Set.of(), "h");
        vm.networkProperty().set("10.8.0.1");
        assertEquals(List.of("wizard.error.hostBits"), vm.problems(1));
        vm.networkProperty().set("10.8.0.0");
        vm.netmaskProperty().set("/30");
        assertEquals(List.of("wizard.error.netmaskSize"), vm.problems(1));
        vm.deviceProperty().set(ServerSpec.Device.TAP);
        assertEquals(List.of(), vm.problems(1), "a /30 is enough for tap");
        vm.netmaskProperty().set("255.0.255.0");
        assertEquals(List.of("wizard.error.netmask"), vm.problems(1));
        vm.networkProperty().set("10.8.0");
        assertEquals(List.of("wizard.error.network"), vm.problems(1));
    }

    @Test
    void lastStepChecksPortBindAddressAndCiphers() {
        ServerWizardViewModel vm = new ServerWizardViewModel(Set.of(), "h");
        vm.portProperty().set("70000");
        vm.bindAddressProperty().set("not an address");
        vm.ciphers().clear();
        assertEquals(List.of("wizard.error.port", "wizard.error.bindAddress", "wizard.error.ciphers"), vm.problems(2));
    }

    @Test
    void completeOnlyOnTheLastStepWithoutProblems() {
        ServerWizardViewModel vm = new ServerWizardViewModel(Set.of(), "vpn.example.com");
        vm.nameProperty().set("office");
        assertTrue(vm.next());
        assertFalse(vm.completeBinding().get());
        assertTrue(vm.next());
        assertFalse(vm.completeBinding().get());
        assertTrue(vm.next());
        assertTrue(vm.completeBinding().get(), "the Forwarding step after Clients is optional");
        assertTrue(vm.next());
        assertTrue(vm.next(), "the client-to-client policy step after Forwarding");
        assertFalse(vm.next(), "no step after the last");
        assertTrue(vm.completeBinding().get());
        vm.portProperty().set("x");
        assertFalse(vm.completeBinding().get());
        for (int i = 0; i < ServerWizardViewModel.STEPS; i++) {
            vm.back();
        }
        assertEquals(0, vm.stepProperty().get());
    }

    @Test
    void buildsTheSpecWithPrefixNetmaskAndCiphersStrongestFirst() {
        ServerWizardViewModel vm = new ServerWizardViewModel(Set.of(), "vpn.example.com");
        vm.nameProperty().set(" office ");
        vm.networkProperty().set("172.20.0.0");
        vm.netmaskProperty().set("22");
        vm.deviceProperty().set(ServerSpec.Device.TAP);
        vm.topologyProperty().set(ServerSpec.Topology.NET30);
        vm.portProperty().set("443");
        vm.protoProperty().set(ServerSpec.Proto.TCP);
        vm.bindAddressProperty().set("127.0.0.1");
        vm.clientToClientProperty().set(true);
        vm.ciphers().setAll("CHACHA20-POLY1305", "AES-256-GCM");
        ServerSpec s = vm.toSpec();
        assertEquals(ServerSpec.builder("office", "vpn.example.com").network("172.20.0.0", "255.255.252.0").port(443)
                .proto(ServerSpec.Proto.TCP).device(ServerSpec.Device.TAP).clientToClient(true)
                .dataCiphers(List.of("AES-256-GCM", "CHACHA20-POLY1305")).bindAddress("127.0.0.1").build(), s);
    }

    /** Issue 12: the Clients step holds the keepalive and the DNS servers pushed to clients, checked as OpenVPN does. */
    @Test
    void keepaliveAndDnsServersAreCheckedAndGoIntoTheSpec() {
        ServerWizardViewModel vm = ServerWizardViewModel.editing(ServerSpec.defaults("office", "h"));
        assertEquals("10", vm.keepalivePingProperty().get());
        assertEquals("60", vm.keepaliveTimeoutProperty().get());
        assertEquals("", vm.dnsServersProperty().get());
        vm.keepaliveTimeoutProperty().set("15");
        vm.dnsServersProperty().set("10.8.0.1, dns.example.com");
        assertEquals(List.of("wizard.error.keepalive", "wizard.error.dns"), vm.problems(3));
        assertFalse(vm.completeBinding().get());
        vm.keepaliveTimeoutProperty().set("40");
        vm.keepalivePingProperty().set("5");
        vm.dnsServersProperty().set("10.8.0.1,  2001:db8::1 ");
        assertEquals(List.of(), vm.problems(3));
        assertEquals(ServerSpec.defaults("office", "h").withClientSettings(5, 40, List.of("10.8.0.1", "2001:db8::1")), vm.toSpec());
        assertEquals("10.8.0.1, 2001:db8::1", ServerWizardViewModel.editing(vm.toSpec()).dnsServersProperty().get());
    }

    @Test
    void refusesToBuildWithProblems() {
        assertThrows(IllegalStateException.class, () -> new ServerWizardViewModel(Set.of(), "h").toSpec());
    }

    /** Issue 13: the Forwarding step's problems and the spec it makes; IPv6 is refused with a reason. */
    @Test
    void forwardingStepMakesTheGatewayAndTheReachedNetworks() {
        ServerWizardViewModel vm = new ServerWizardViewModel(Set.of(), "vpn.example.com");
        vm.nameProperty().set("office");
        assertEquals(List.of(), vm.problems(4), "off by default");
        vm.gatewayProperty().set(true);
        vm.gatewayOutboundProperty().set("eth0/x");
        vm.gatewayFamilyProperty().set(ServerSpec.Family.BOTH);
        vm.gatewayResolversProperty().set("9.9.9.9 resolver");
        vm.reachProperty().set("192.168.50.1/24");
        assertEquals(List.of("wizard.error.interface", "wizard.error.gatewayIpv6", "wizard.error.resolvers",
                "wizard.error.reach"), vm.problems(4));
        vm.gatewayOutboundProperty().set("auto");
        vm.gatewayFamilyProperty().set(ServerSpec.Family.IPV4);
        vm.gatewayResolversProperty().set("");
        vm.reachProperty().set("192.168.50.0/24\n172.16.0.0/12 lan0 routed\n");
        assertEquals(List.of(), vm.problems(4));
        ServerSpec spec = vm.toSpec();
        assertEquals(ServerSpec.Gateway.AUTO, spec.gateway());
        assertEquals(List.of(new ServerSpec.Reach("192.168.50.0/24", null, true),
                new ServerSpec.Reach("172.16.0.0/12", "lan0", false)), spec.reach());
        ServerWizardViewModel edit = ServerWizardViewModel.editing(spec);
        assertTrue(edit.gatewayProperty().get());
        assertEquals("192.168.50.0/24\n172.16.0.0/12 lan0 routed", edit.reachProperty().get());
        assertEquals(spec, edit.toSpec());
    }

    /** Issue 13: the pair editor adds only rules between issued clients or defined groups, never a rule with itself. */
    @Test
    void pairEditorRefusesUnknownClientsAndARuleWithItself() {
        ServerSpec spec = ServerSpec.builder("office", "h").clientToClient(true).build();
        ServerWizardViewModel vm = ServerWizardViewModel.editing(spec, List.of("alice", "bob"));
        vm.pairs().aProperty().set("alice");
        vm.pairs().bProperty().set("dave");
        assertFalse(vm.pairs().add());
        assertEquals("wizard.pairs.error.unknown", vm.pairs().problemProperty().get());
        assertEquals("dave", vm.pairs().problemNameProperty().get());
        vm.pairs().bProperty().set("alice");
        assertFalse(vm.pairs().add());
        assertEquals("wizard.pairs.error.itself", vm.pairs().problemProperty().get());
        vm.pairs().bProperty().set("@staff");
        assertFalse(vm.pairs().add());
        assertEquals("wizard.pairs.error.unknownGroup", vm.pairs().problemProperty().get());
        vm.pairs().groupsProperty().set("staff bob");
        assertTrue(vm.pairs().add());
        assertEquals("", vm.pairs().problemProperty().get());
        assertEquals(List.of(new ServerSpec.Pair("alice", "@staff")), vm.pairs().rules());
        vm.pairs().aProperty().set("@staff");
        vm.pairs().bProperty().set("alice");
        assertFalse(vm.pairs().add());
        assertEquals("wizard.pairs.error.duplicate", vm.pairs().problemProperty().get());
        vm.pairs().groupsProperty().set("");
        assertEquals(List.of("wizard.error.pairGroupMissing"), vm.problems(5));
        vm.pairs().groupsProperty().set("staff bob");
        vm.clientToClientProperty().set(false);
        assertEquals(List.of("wizard.error.pairsNeedC2c"), vm.problems(5));
        vm.clientToClientProperty().set(true);
        assertEquals(new ServerSpec.Pairs(false, List.of(new ServerSpec.Group("staff", List.of("bob"))),
                List.of(new ServerSpec.Pair("alice", "@staff"))), vm.toSpec().pairs());
    }

    /** Issue 13: an IPv6 network for the clients turns the gateway's choice to Both; clearing it, back to IPv4. */
    @Test
    void anIpv6NetworkLetsTheGatewayForwardIpv6() {
        ServerWizardViewModel vm = new ServerWizardViewModel(Set.of(), "h");
        vm.gatewayProperty().set(true);
        vm.gatewayFamilyProperty().set(ServerSpec.Family.IPV6);
        assertTrue(vm.problems(4).contains("wizard.error.gatewayIpv6"));
        vm.gatewayFamilyProperty().set(ServerSpec.Family.IPV4);
        vm.ipv6NetworkProperty().set("fd00:8::/64");
        assertEquals(ServerSpec.Family.BOTH, vm.gatewayFamilyProperty().get());
        assertEquals(List.of(), vm.problems(4));
        vm.ipv6NetworkProperty().set("fd00:8::/20");
        assertEquals(List.of("wizard.error.ipv6"), vm.problems(1));
        vm.ipv6NetworkProperty().set("");
        assertEquals(ServerSpec.Family.IPV4, vm.gatewayFamilyProperty().get());
    }
}
