package io.culvert.engine.profiles;

import io.culvert.engine.api.StaticChallenge;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a profile list shows about a profile's text: its servers, whether it asks for a login, and its static
 * challenge. Immutable.
 */
record ProfileFacts(List<String> remotes, boolean asksLogin, String challenge, boolean challengeEcho, boolean challengeConcat) {

    static ProfileFacts of(String text) {
        OvpnFile file;
        try {
            file = OvpnFile.parse(text);
        } catch (OvpnParseException e) {
            return new ProfileFacts(List.of(), false, null, false, false);
        }
        List<String> remotes = new ArrayList<>();
        boolean asks = false;
        String challenge = null;
        boolean echo = false;
        boolean concat = false;
        for (Directive d : file.directives()) {
            switch (d.name()) {
                case "remote" -> remotes.add(String.join(" ", d.args()));
                case "auth-user-pass" -> asks = !d.isInline() && d.args().isEmpty();
                case "static-challenge" -> {
                    Optional<StaticChallenge> c = StaticChallenge.of(d.args());
                    challenge = c.map(StaticChallenge::text).orElse(null);
                    echo = c.map(StaticChallenge::echo).orElse(false);
                    concat = c.map(StaticChallenge::concat).orElse(false);
                }
                default -> { }
            }
        }
        for (List<Directive> block : file.connections()) {
            block.stream().filter(d -> d.name().equals("remote")).forEach(d -> remotes.add(String.join(" ", d.args())));
        }
        return new ProfileFacts(List.copyOf(remotes), asks, challenge, echo, concat);
    }
}
