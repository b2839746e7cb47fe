/** Benchmarks that run from test sources: tunnel and server throughput and latency against stock openvpn, server scale. */
package io.culvert.engine.bench;
