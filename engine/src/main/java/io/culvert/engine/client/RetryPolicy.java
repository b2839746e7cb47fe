package io.culvert.engine.client;

import io.culvert.engine.api.ErrorKind;
import java.util.List;

/**
 * When and where a client connects again after an attempt ends, as OpenVPN decides it: the next remote at once
 * after a network change, a server poll timeout or a quick fallback; a pause of {@code connect-retry} seconds,
 * doubling up to {@code connect-retry-max-seconds}, otherwise; and giving up at {@code connect-retry-max} rounds or
 * on a failure retrying cannot fix. It decides only; the runner acts. Session thread only.
 */
final class RetryPolicy {
    /** What to do next. */
    sealed interface Step {}

    /** Give up: state EXITING with the attempt's error and {@code detail}. */
    record Exit(String detail) implements Step {}

    /** Connect again at once: state RECONNECTING with {@code error} and {@code detail}. */
    record Now(ErrorKind error, String detail) implements Step {}

    /** Connect again after {@code seconds}: state RECONNECTING with the attempt's error and {@code detail}. */
    record Wait(long seconds, String detail) implements Step {}

    private final ClientProfile profile;
    private final List<ClientProfile.Remote> remotes;
    private int failures;
    private int remoteIndex;

    RetryPolicy(ClientProfile profile, List<ClientProfile.Remote> remotes) {
        this.profile = profile;
        this.remotes = remotes;
    }

    /** The remote to try now. */
    ClientProfile.Remote current() {
        return remotes.get(remoteIndex % remotes.size());
    }

    /** The step after {@code o}; {@code quickNext}: falling back in the first round, the next remote at once. */
    Step next(ConnectionAttempts.Outcome o, boolean quickNext) {
        if (o.networkChanged() != null) {
            // openvpn waits for ping-restart here; the new path is known now, so the next attempt starts at once
            failures = 0;
            return new Now(null, o.networkChanged());
        }
        if (o.serverPollTimedOut()) {
            // openvpn: "Server poll timeout, restarting" sets restart_sleep_seconds = -1, so the next remote
            // is tried without the connect-retry pause
            failures++;
            remoteIndex++;
            return maxed() ? new Exit("connect-retry-max reached") : new Now(o.error(), "server poll timeout, next remote now");
        }
        if (o.error() != null && o.error().haltsReconnect() && !o.tokenRefused()) {
            return new Exit("not retrying: " + o.error());
        }
        if (quickNext) {
            // falling back (issue 14): the next transport at once, as after a server poll timeout
            failures++;
            remoteIndex++;
            return maxed() ? new Exit("connect-retry-max reached") : new Now(o.error(), "falling back, next remote now");
        }
        failures = o.connected() ? 1 : failures + 1;
        // openvpn stays with a server it connected to (no_advance), unless its RESTART said [N]
        if (!o.connected() || o.nextRemote()) {
            remoteIndex++;
        }
        long delay = Math.min(profile.connectRetryMaxSeconds(), (long) profile.connectRetrySeconds() << Math.min(failures - 1, 16));
        if (maxed()) {
            return new Exit("connect-retry-max reached");
        }
        String why = o.errorDetail() == null ? "" : o.errorDetail() + "; ";
        return new Wait(delay, why + "retrying in " + delay + " s");
    }

    private boolean maxed() {
        return profile.connectRetryMax() > 0 && failures >= profile.connectRetryMax() * remotes.size();
    }
}
