package io.culvert.engine.management;

import java.util.List;

/** The {@code help} reply: the commands Culvert implements, in OpenVPN's layout. */
final class ManagementHelp {
    private ManagementHelp() {}

    static final List<String> LINES = List.of(
            "Management Interface for Culvert (OpenVPN 2.6 compatible)",
            "Commands:",
            "bytecount n            : Show bytes in/out, update every n secs (0=off).",
            "echo [on|off] [N|all]  : Like log, but only show messages in echo buffer.",
            "exit|quit              : Close management session.",
            "help                   : Print this message.",
            "hold [on|off|release]  : Set/show hold flag to on/off state, or",
            "                         release current hold and start tunnel.",
            "kill cn                : Kill the client instance(s) having common name cn.",
            "kill IP:port           : Kill the client instance connecting from IP:port.",
            "load-stats             : Show global server load stats.",
            "log [on|off] [N|all]   : Turn on/off realtime log display",
            "                         + show last N lines or 'all' for entire history.",
            "pid                    : Show process ID of the current OpenVPN process.",
            "push-update-broad options : Broadcast a message to update the specified options.",
            "                            Ex. push-update-broad \"route something, -dns\"",
            "push-update-cid CID options : Send an update message to the client identified by CID.",
            "client-kill CID [M]    : Kill client instance CID (the message M is not sent).",
            "diagnose A B [noprobe] : (Culvert only) Why can't client A reach B (a common name",
            "                         or an IP address)? Checks, a probe to B and its path MTU.",
            "signal s               : Send signal s to daemon,",
            "                         s = SIGHUP|SIGTERM|SIGUSR1|SIGUSR2.",
            "state [on|off] [N|all] : Like log, but show state history.",
            "status [n]             : Show current daemon status info using format #n.",
            "version [n]            : Set client's version to n or show current version of daemon.",
            "END");
}
