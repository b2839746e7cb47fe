/**
 * IP addresses, prefixes and packet header fields: the one place that parses, formats and computes with them (strict
 * literals, never DNS) and reads IPv4/IPv6/Ethernet header fields from raw buffers. Pure logic on the JDK; depends on
 * nothing else in Culvert, and every engine package may use it.
 */
package io.culvert.engine.net;
