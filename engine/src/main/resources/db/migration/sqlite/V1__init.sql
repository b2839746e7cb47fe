-- Culvert store, schema 1. Times are epoch milliseconds (UTC); booleans are 0/1.

CREATE TABLE profile (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    ovpn_text     TEXT    NOT NULL,          -- the imported file, the source of truth; the model is parsed from it
    auto_connect  INTEGER NOT NULL DEFAULT 0 CHECK (auto_connect IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    last_used_at  INTEGER
);

-- At most one saved login per profile. The password lives in the keyring (password_location = 'KEYRING'),
-- AES-256-GCM encrypted here under the key file next to the database ('ENCRYPTED_FILE'), or nowhere ('NONE').
CREATE TABLE credential (
    profile_id         INTEGER PRIMARY KEY REFERENCES profile (id) ON DELETE CASCADE,
    username           TEXT    NOT NULL,
    password_location  TEXT    NOT NULL CHECK (password_location IN ('NONE', 'KEYRING', 'ENCRYPTED_FILE')),
    keyring_account    TEXT,                 -- random id of the keyring item when password_location = 'KEYRING'
    password_nonce     BLOB,
    password_sealed    BLOB,
    updated_at         INTEGER NOT NULL,
    CHECK ((password_location = 'ENCRYPTED_FILE') = (password_sealed IS NOT NULL AND password_nonce IS NOT NULL))
);

CREATE TABLE server (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    config_text  TEXT    NOT NULL,
    pki_ref      TEXT,                       -- opaque to the store; the PKI says what it names
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE ccd_entry (
    server_id    INTEGER NOT NULL REFERENCES server (id) ON DELETE CASCADE,
    common_name  TEXT    NOT NULL,
    ccd_text     TEXT    NOT NULL,
    PRIMARY KEY (server_id, common_name)
);

CREATE TABLE issued_certificate (
    server_id    INTEGER NOT NULL REFERENCES server (id) ON DELETE CASCADE,
    serial       TEXT    NOT NULL,           -- lower-case hex, no leading zeros
    common_name  TEXT    NOT NULL,
    not_before   INTEGER NOT NULL,
    not_after    INTEGER NOT NULL,
    revoked_at   INTEGER,
    cert_pem     TEXT    NOT NULL,
    PRIMARY KEY (server_id, serial)
);
CREATE INDEX issued_certificate_cn ON issued_certificate (server_id, common_name);

CREATE TABLE connection_history (
    id          INTEGER PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES profile (id) ON DELETE CASCADE,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER,
    reason      TEXT,
    bytes_in    INTEGER NOT NULL DEFAULT 0,
    bytes_out   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX connection_history_profile ON connection_history (profile_id, started_at);

CREATE TABLE setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
