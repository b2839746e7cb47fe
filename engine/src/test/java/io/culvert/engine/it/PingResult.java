package io.culvert.engine.it;

import java.util.BitSet;
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
 * @param requested the {@code -c} count asked for, or 0 when unknown
 */
public record PingResult(int transmitted, int received, double lossPercent, double avgRttMillis, String output,
        int requested) {

    public PingResult(int transmitted, int received, double lossPercent, double avgRttMillis, String output) {
        this(transmitted, received, lossPercent, avgRttMillis, output, 0);
    }

    private static final Pattern COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern LOSS = Pattern.compile("([0-9.]+)% packet loss");
    private static final Pattern RTT = Pattern.compile("= [0-9.]+/([0-9.]+)/[0-9.]+/[0-9.]+ ms");
    private static final Pattern REPLY = Pattern.compile("bytes from [^\\n]*?: icmp_seq=(\\d+)");

    /** Parses iputils ping output; missing summary lines mean 100 % loss. */
    public static PingResult parse(String output) {
        return parse(output, 0);
    }

    /** Parses the output of {@code ping -c requested ...}. */
    public static PingResult parse(String output, int requested) {
        Matcher counts = COUNTS.matcher(output);
        Matcher loss = LOSS.matcher(output);
        Matcher rtt = RTT.matcher(output);
        int sent = counts.find() ? Integer.parseInt(counts.group(1)) : 0;
        int received = sent > 0 ? Integer.parseInt(counts.group(2)) : 0;
        return new PingResult(sent, received,
                loss.find() ? Double.parseDouble(loss.group(1)) : 100.0,
                rtt.find() ? Double.parseDouble(rtt.group(1)) : Double.NaN,
                output, requested);
    }

    /**
     * True when every request was answered: with the {@code -c} count known, each of the first {@code requested}
     * requests ({@link #answered}: a late reply is a reply, not the extra request ping sends while it waits); else
     * every request counted in the summary.
     */
    public boolean noLoss() {
        return requested > 0 ? answered(requested) : transmitted > 0 && received == transmitted;
    }

    /**
     * True when each of the first {@code count} requests (icmp_seq 1 to {@code count}) was answered, for a ping run
     * with {@code -c count -w deadline}: such a ping sends one more request while a late reply is on its way and quits
     * once it has {@code count} replies, so its summary shows that last request as lost although nothing was (one
     * reply in 312 ms at a 200 ms interval: "4 packets transmitted, 3 received"). A request that really got no answer
     * leaves a gap and still fails.
     */
    public boolean answered(int count) {
        BitSet seen = new BitSet();
        Matcher m = REPLY.matcher(output);
        while (m.find()) {
            seen.set(Integer.parseInt(m.group(1)));
        }
        return count > 0 && seen.nextClearBit(1) > count;
    }
}
