package io.culvert.engine.service;

import java.util.Set;

/**
 * A local account as the system's user and group databases describe it. Instances are immutable.
 *
 * @param groups names of every group the account belongs to, its primary group included
 */
public record Account(String name, long uid, long gid, Set<String> groups) {
    public Account {
        groups = Set.copyOf(groups);
    }
}
