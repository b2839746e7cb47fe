package io.culvert.engine.it;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Summary of one {@code ping} run; immutable.
 *
 * @param transmitted echo requests sent
 * @param received echo replies received
 * @param lossPercent packet loss as printed by ping
 * @param avgRttMillis average round-trip time, or NaN when nothing came back
 * @param output the raw ping output, for failure messages
 */
public record PingResult(int transmitted, int received, double lossPercent, double avgRttMillis, String output) {

    private static final Pattern COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern LOSS = Pattern.compile("([0-9.]+)% packet loss");
    private static final Pattern RTT = Pattern.compile("= [0-9.]+/([0-9.]+)/[0-9.]+/[0-9.]+ ms");

    /** Parses iputils ping output; missing summary lines mean 100 % loss. */
    public static PingResult parse(String output) {
        Matcher counts = COUNTS.matcher(output);
        Matcher loss = LOSS.matcher(output);
        Matcher rtt = RTT.matcher(output);
        int sent = counts.find() ? Integer.parseInt(counts.group(1)) : 0;
        int received = sent > 0 ? Integer.parseInt(counts.group(2)) : 0;
        return new PingResult(sent, received,
                loss.find() ? Double.parseDouble(loss.group(1)) : 100.0,
                rtt.find() ? Double.parseDouble(rtt.group(1)) : Double.NaN,
                output);
    }

    /** True when every request was answered. */
    public boolean noLoss() {
        return transmitted > 0 && received == transmitted;
    }
}
