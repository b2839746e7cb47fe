package io.culvert.engine.api;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * New contents for the files a running server re-reads by itself: its CRL ({@code crl-verify}) and entries of its
 * client-config-dir. A server that reads its own folder needs none of this; one hosted elsewhere (culvertd) keeps
 * copies that the owner refreshes with {@link ServerHandle#updateFiles}. Immutable.
 *
 * @param crlPem the new CRL in PEM, or null to leave it unchanged
 * @param ccd ccd entries to write, by common name
 * @param ccdRemoved common names whose ccd entry is removed
 */
public record ServerFileUpdate(String crlPem, Map<String, String> ccd, Set<String> ccdRemoved) {
    public ServerFileUpdate {
        ccd = Map.copyOf(ccd);
        ccdRemoved = Set.copyOf(ccdRemoved);
        if (ccd.keySet().stream().anyMatch(ccdRemoved::contains)) {
            throw new IllegalArgumentException("a ccd entry cannot be both written and removed");
        }
    }

    /** A new CRL only. */
    public static ServerFileUpdate crl(String pem) {
        return new ServerFileUpdate(Objects.requireNonNull(pem, "pem"), Map.of(), Set.of());
    }

    /** One ccd entry written ({@code text} non-empty) or removed ({@code text} empty). */
    public static ServerFileUpdate ccdEntry(String commonName, String text) {
        return text.isEmpty() ? new ServerFileUpdate(null, Map.of(), Set.of(commonName))
                : new ServerFileUpdate(null, Map.of(commonName, text), Set.of());
    }

    /** The common names whose ccd entry this update writes or removes. */
    public Set<String> changedCommonNames() {
        Set<String> all = new java.util.TreeSet<>(ccd.keySet());
        all.addAll(ccdRemoved);
        return all;
    }

    public boolean isEmpty() {
        return crlPem == null && ccd.isEmpty() && ccdRemoved.isEmpty();
    }
}
