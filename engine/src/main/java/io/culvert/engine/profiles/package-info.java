/**
 * Client profiles for the app and culvertd: import with its report, the store's records as the API's summaries and
 * forms, saved logins in the keyring, and the few facts (remotes, login, static challenge) read from a profile's text.
 */
package io.culvert.engine.profiles;
