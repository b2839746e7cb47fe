/** Linux TUN/TAP devices (native calls in {@code engine.sys}), {@code ip}-based network configuration, and packet helpers for the data path. */
package io.culvert.engine.tun;
