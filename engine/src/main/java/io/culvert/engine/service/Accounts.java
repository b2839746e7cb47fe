package io.culvert.engine.service;

import java.util.Optional;

/** Looks up accounts by user name; the service's only view of the user and group databases. */
@FunctionalInterface
public interface Accounts {
    /** The account, or empty when the name is unknown. */
    Optional<Account> lookup(String userName);
}
