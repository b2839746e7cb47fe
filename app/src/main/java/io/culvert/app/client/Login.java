package io.culvert.app.client;


/**
 * What the login prompt asks and what the user answered. Immutable; {@link Answer#toString()} hides secrets.
 */
final class Login {
    private Login() {}

    /**
     * A prompt.
     *
     * @param challenge the static-challenge text, or null when the profile has none
     * @param echo true when the challenge response may be shown
     * @param username prefilled username, may be empty
     * @param retry true when the previous login was refused
     * @param keyring true when a remembered password goes to the desktop keyring (else to the encrypted file)
     */
    record Request(String profile, String challenge, boolean echo, String username, boolean retry, boolean keyring) {}

    /** The user's answer; {@code response} is the OTP or challenge response, empty when none was asked. */
    record Answer(String username, String password, String response, boolean save) {
        /**
         * The password as sent to the server: with a static challenge, OpenVPN's SCRV1 form
         * ({@code SCRV1:base64(password):base64(response)}), or password and response concatenated when the
         * profile asks for that (static-challenge format 1).
         */
        String wirePassword(boolean challenge, boolean concatenate) {
            if (!challenge) {
                return password;
            }
            return new io.culvert.engine.api.StaticChallenge("", false, concatenate).wirePassword(password, response);
        }

        @Override
        public String toString() {
            return "Answer[" + username + ", ***, save=" + save + "]";
        }
    }
}
