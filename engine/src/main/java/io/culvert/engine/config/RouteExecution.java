package io.culvert.engine.config;

/**
 * When the client installs its routes: {@code route-noexec} (never: the routes are left to a script) and
 * {@code route-delay [n [w]]} (n seconds after the device is up instead of at once). Instances are immutable.
 *
 * @param noexec {@code route-noexec}: no route (and no redirect-gateway route) is installed
 * @param delaySeconds {@code route-delay}'s n; -1 when the directive is absent (routes right after the device)
 */
public record RouteExecution(boolean noexec, int delaySeconds) {
    /** OpenVPN's default: routes are installed as soon as the device is configured. */
    public static final RouteExecution DEFAULT = new RouteExecution(false, -1);
}
