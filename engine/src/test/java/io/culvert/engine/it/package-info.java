/** Interop test harness: network namespaces, veth links, throwaway PKI and openvpn/Culvert processes. */
package io.culvert.engine.it;
