package io.culvert.engine.service;

/** A connected peer: its account (from SO_PEERCRED and the account database) and the role it was granted. Immutable. */
public record Caller(Account account, Role role) {
    public long uid() {
        return account.uid();
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** "bob (uid 1000)", for logs and errors. */
    public String describe() {
        return account.name() + " (uid " + account.uid() + ")";
    }
}
