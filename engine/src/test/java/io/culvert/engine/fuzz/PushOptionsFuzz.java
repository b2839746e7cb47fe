package io.culvert.engine.fuzz;

import static io.culvert.engine.fuzz.Oracle.check;

import io.culvert.engine.client.PushedConfig;
import io.culvert.engine.common.Decoded;
import io.culvert.engine.protocol.AllowCompression;
import io.culvert.engine.protocol.CompressionFraming;
import io.culvert.engine.protocol.PushReply;
import io.culvert.engine.server.PeerInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz target (ADR 0015) for what a peer says in control messages: a {@code PUSH_REPLY} (parsed, re-written,
 * split into 2.6-sized bundles and merged, read as the client's pushed configuration, its compression options
 * judged under every {@code allow-compression}) and a key-method-2 peer-info block. Oracles: no exception but the
 * documented {@link PushedConfig.BadPushException}; a parsed reply re-parses equal from its own text; split parts
 * fit a bundle and merge back to the same options; peer-info keeps at most 256 entries.
 */
public final class PushOptionsFuzz {
    private PushOptionsFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        Decoded<PushReply> d = PushReply.parse(text);
        if (d.isOk()) {
            PushReply reply = d.value();
            Decoded<PushReply> again = PushReply.parse(reply.toMessage());
            check(again.isOk() && again.value().equals(reply), "PUSH_REPLY does not re-parse equal: " + reply.toMessage());
            bundles(reply.options());
            try {
                PushedConfig.from(reply.options());
            } catch (PushedConfig.BadPushException e) {
                check(e.getMessage() != null && !e.getMessage().isEmpty(), "bad push without a message");
            }
            for (List<String> o : reply.options()) {
                if (CompressionFraming.isCompressionOption(o)) {
                    for (AllowCompression allow : AllowCompression.values()) {
                        CompressionFraming.fromPushed(o, allow).ifPresent(f ->
                                check(allow != AllowCompression.NO || !f.decompresses(), "real compression with allow no"));
                    }
                }
            }
        }
        PeerInfo info = PeerInfo.parse(text);
        check(info.values().size() <= 256, "peer-info entries " + info.values().size());
        info.ivProto();
        info.ciphers().forEach(c -> check(!c.isEmpty(), "empty cipher name"));
        info.version();
        info.platform();
        info.sentMtu();
    }

    private static void bundles(List<List<String>> options) {
        List<PushReply> parts;
        try {
            parts = PushReply.split(options);
        } catch (IllegalArgumentException e) {
            // Documented: an option too long for any bundle cannot be pushed.
            check(e.getMessage().startsWith("option too long to push"), "split: " + e.getMessage());
            return;
        }
        for (PushReply p : parts) {
            check(p.toMessage().length() < PushReply.BUNDLE_SIZE, "bundle of " + p.toMessage().length());
            check(PushReply.parse(p.toMessage()).value().equals(p), "bundle does not re-parse");
        }
        check(PushReply.merge(parts).options().equals(options), "split and merge change the options");
    }
}
