package io.culvert.engine.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A profile's {@code static-challenge TEXT ECHO [concat]}: what to ask for besides the password (a one-time code),
 * and how the answer travels. Instances are immutable.
 *
 * @param text the prompt shown to the user
 * @param echo whether the response may be shown while typed
 * @param concat whether the response is appended to the password instead of sent in OpenVPN's SCRV1 form
 */
public record StaticChallenge(String text, boolean echo, boolean concat) {

    /** The challenge of a {@code static-challenge} directive's arguments, or empty when there are none. */
    public static Optional<StaticChallenge> of(List<String> args) {
        if (args.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StaticChallenge(args.get(0), args.size() > 1 && "1".equals(args.get(1)),
                args.size() > 2 && "concat".equalsIgnoreCase(args.get(2))));
    }

    /** The password field as sent: {@code SCRV1:base64(password):base64(response)}, or password + response. */
    public String wirePassword(String password, String response) {
        if (concat) {
            return password + response;
        }
        Base64.Encoder b64 = Base64.getEncoder();
        return "SCRV1:" + b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)) + ":"
                + b64.encodeToString(response.getBytes(StandardCharsets.UTF_8));
    }
}
