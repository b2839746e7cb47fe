package io.culvert.engine.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.engine.api.ProfileForm;
import io.culvert.engine.config.file.OvpnFile;
import org.junit.jupiter.api.Test;

/** The form's kill switch reads both written forms and writes the one stock OpenVPN skips, in place of the old. */
class ProfileFormsKillSwitchTest {
    private static final String BASE = "client\ndev tun\nremote vpn.example 1194\n";

    @Test
    void readsBothFormsAndRewritesInPlace() throws Exception {
        assertFalse(ProfileForms.read(OvpnFile.parse(BASE)).killSwitch());
        ProfileForm bare = ProfileForms.read(OvpnFile.parse(BASE + "culvert-kill-switch allow-lan\nverb 3\n"));
        assertTrue(bare.killSwitch());
        assertTrue(bare.killSwitchAllowsLan());
        ProfileForm off = new ProfileForm(bare.remotes(), bare.proto(), bare.dev(), bare.dataCiphers(), bare.authUserPass(),
                bare.redirectGateway(), bare.routes(), true, false);
        assertEquals(BASE + "setenv opt culvert-kill-switch\nverb 3\n",
                ProfileForms.apply(OvpnFile.parse(BASE + "culvert-kill-switch allow-lan\nverb 3\n"), off).write());
        ProfileForm none = new ProfileForm(bare.remotes(), bare.proto(), bare.dev(), bare.dataCiphers(), bare.authUserPass(),
                bare.redirectGateway(), bare.routes(), false, true);
        assertEquals(BASE + "verb 3\n", ProfileForms.apply(OvpnFile.parse(BASE + "setenv opt culvert-kill-switch\nverb 3\n"),
                none).write());
    }
}
