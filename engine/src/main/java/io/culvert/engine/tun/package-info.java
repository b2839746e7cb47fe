/** Linux TUN/TAP devices through JNA direct mapping, {@code ip}-based network configuration, and packet helpers for the data path. */
package io.culvert.engine.tun;
