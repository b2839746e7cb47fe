package io.culvert.engine.profiles;

import io.culvert.engine.api.ProfileForm;
import io.culvert.engine.config.KillSwitch;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.Line;
import io.culvert.engine.config.file.OvpnFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads the main settings of a client profile into a {@link ProfileForm} and writes a changed form back into the
 * file's lines: a setting whose value did not change leaves its lines alone; a changed one rewrites only its own
 * top-level lines, in place, and new lines go before the first inline block. Stateless.
 */
final class ProfileForms {
    private static final String AUTH = "auth-user-pass";
    private static final String REDIRECT = "redirect-gateway";

    private ProfileForms() {}

    static ProfileForm read(OvpnFile file) {
        List<Directive> ds = file.directives();
        String ciphers = last(ds, "data-ciphers", last(ds, "ncp-ciphers", ""));
        return new ProfileForm(joined(ds, "remote"), last(ds, "proto", ""), last(ds, "dev", ""),
                ciphers.isEmpty() ? List.of() : List.of(ciphers.split(":")), has(ds, AUTH), has(ds, REDIRECT),
                joined(ds, "route"), killSwitch(ds) != null, "allow-lan".equals(killSwitch(ds)));
    }

    /**
     * The kill switch's argument ("" or "allow-lan") from its last line, written {@code culvert-kill-switch ...} or
     * {@code setenv opt culvert-kill-switch ...}; null when the profile has none.
     */
    private static String killSwitch(List<Directive> ds) {
        String found = null;
        for (Directive d : ds) {
            List<String> args = d.name().equals("setenv") && d.args().size() > 1 && d.arg(0).equals("opt")
                    && d.arg(1).equals(KillSwitch.DIRECTIVE) ? d.args().subList(2, d.args().size())
                    : d.name().equals(KillSwitch.DIRECTIVE) ? d.args() : null;
            if (args != null) {
                found = args.isEmpty() ? "" : args.get(0);
            }
        }
        return found;
    }

    private static boolean isKillSwitch(Line l) {
        return l instanceof Line.Entry e && (e.directive().name().equals(KillSwitch.DIRECTIVE)
                || e.directive().name().equals("setenv") && e.directive().args().size() > 1
                && e.directive().arg(0).equals("opt") && e.directive().arg(1).equals(KillSwitch.DIRECTIVE));
    }

    /** {@code file} with the settings of {@code form} that differ from it applied. */
    static OvpnFile apply(OvpnFile file, ProfileForm form) {
        ProfileForm now = read(file);
        List<Line> body = new ArrayList<>(file.body());
        if (!now.remotes().equals(clean(form.remotes()))) {
            replace(body, "remote", words(form.remotes()));
        }
        if (!now.proto().equals(form.proto().strip())) {
            replace(body, "proto", single(form.proto()));
        }
        if (!now.dev().equals(form.dev().strip())) {
            replace(body, "dev", single(form.dev()));
        }
        List<String> ciphers = clean(form.dataCiphers());
        if (!now.dataCiphers().equals(ciphers)) {
            replace(body, "ncp-ciphers", List.of());
            replace(body, "data-ciphers", ciphers.isEmpty() ? List.of() : List.of(List.of(String.join(":", ciphers))));
        }
        if (now.authUserPass() != form.authUserPass()) {
            flag(body, AUTH, form.authUserPass(), List.of());
        }
        if (now.redirectGateway() != form.redirectGateway()) {
            flag(body, REDIRECT, form.redirectGateway(), List.of("def1"));
        }
        if (!now.routes().equals(clean(form.routes()))) {
            replace(body, "route", words(form.routes()));
        }
        boolean allowLan = form.killSwitch() && form.killSwitchAllowsLan();
        if (now.killSwitch() != form.killSwitch() || (form.killSwitch() && now.killSwitchAllowsLan() != allowLan)) {
            // written so that stock OpenVPN skips it and still reads the profile
            int at = -1;
            for (int i = body.size() - 1; i >= 0; i--) {
                if (isKillSwitch(body.get(i))) {
                    body.remove(i);
                    at = i;
                }
            }
            if (form.killSwitch()) {
                List<String> args = allowLan ? List.of("opt", KillSwitch.DIRECTIVE, "allow-lan")
                        : List.of("opt", KillSwitch.DIRECTIVE);
                body.add(at >= 0 ? at : anchor(body), entry("setenv", args));
            }
        }
        return new OvpnFile(body);
    }

    /** Makes the top-level {@code name} lines say {@code wanted}: equal lines stay, others are replaced, surplus removed. */
    private static void replace(List<Line> body, String name, List<List<String>> wanted) {
        List<Integer> at = positions(body, name);
        int common = Math.min(at.size(), wanted.size());
        for (int i = 0; i < common; i++) {
            Line old = body.get(at.get(i));
            if (!(old instanceof Line.Entry e) || !e.directive().args().equals(wanted.get(i))) {
                body.set(at.get(i), entry(name, wanted.get(i)));
            }
        }
        for (int i = at.size() - 1; i >= wanted.size(); i--) {
            body.remove((int) at.get(i));
        }
        int insertAt = common > 0 ? at.get(common - 1) + 1 : anchor(body);
        for (int i = common; i < wanted.size(); i++) {
            body.add(insertAt++, entry(name, wanted.get(i)));
        }
    }

    private static void flag(List<Line> body, String name, boolean on, List<String> args) {
        if (on) {
            body.add(anchor(body), entry(name, args));
        } else {
            List<Integer> at = positions(body, name);
            for (int i = at.size() - 1; i >= 0; i--) {
                body.remove((int) at.get(i));
            }
        }
    }

    private static Line.Entry entry(String name, List<String> args) {
        return Line.Entry.of(new Directive(name, args, 0, null));
    }

    /** Indexes of top-level lines (entries or blocks) holding directive {@code name}. */
    private static List<Integer> positions(List<Line> body, String name) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            Directive d = switch (body.get(i)) {
                case Line.Entry e -> e.directive();
                case Line.Block b -> b.directive();
                default -> null;
            };
            if (d != null && d.name().equals(name)) {
                out.add(i);
            }
        }
        return out;
    }

    /** Before the first inline or connection block (certificates usually close a profile), else at the end. */
    private static int anchor(List<Line> body) {
        for (int i = 0; i < body.size(); i++) {
            if (body.get(i) instanceof Line.Block || body.get(i) instanceof Line.Connection) {
                return i;
            }
        }
        return body.size();
    }

    private static List<String> joined(List<Directive> ds, String name) {
        return ds.stream().filter(d -> d.name().equals(name) && !d.isInline()).map(d -> String.join(" ", d.args())).toList();
    }

    private static String last(List<Directive> ds, String name, String fallback) {
        String v = fallback;
        for (Directive d : ds) {
            if (d.name().equals(name) && d.arg(0) != null) {
                v = d.arg(0);
            }
        }
        return v;
    }

    private static boolean has(List<Directive> ds, String name) {
        return ds.stream().anyMatch(d -> d.name().equals(name));
    }

    private static List<List<String>> single(String value) {
        return value.isBlank() ? List.of() : List.of(List.of(value.strip()));
    }

    /** Entries trimmed, blank ones dropped, inner whitespace collapsed to one space. */
    private static List<String> clean(List<String> entries) {
        return entries.stream().filter(Objects::nonNull).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> String.join(" ", s.split("\\s+"))).toList();
    }

    private static List<List<String>> words(List<String> entries) {
        return clean(entries).stream().map(s -> Arrays.asList(s.split(" "))).map(List::copyOf).toList();
    }
}
