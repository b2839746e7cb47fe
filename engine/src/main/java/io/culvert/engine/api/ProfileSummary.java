package io.culvert.engine.api;

import java.time.Instant;
import java.util.List;

/**
 * One stored client profile as a list shows it. Instances are immutable.
 *
 * @param name the unique name
 * @param remotes the servers as "host port proto" words, in order (empty when the text does not say)
 * @param asksLogin true when the profile needs a username and password (auth-user-pass without inline values)
 * @param staticChallenge the static-challenge prompt text, or null when the profile has none
 * @param challengeEcho true when the challenge response may be shown while typed
 * @param challengeConcat true when the response is appended to the password ({@code static-challenge ... concat})
 *     instead of sent in OpenVPN's SCRV1 form
 * @param lastUsedAt when the profile last connected, or null
 */
public record ProfileSummary(String name, List<String> remotes, boolean asksLogin, String staticChallenge,
        boolean challengeEcho, boolean challengeConcat, Instant createdAt, Instant updatedAt, Instant lastUsedAt) {

    public ProfileSummary {
        remotes = List.copyOf(remotes);
    }
}
