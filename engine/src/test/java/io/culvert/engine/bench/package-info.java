/** Benchmarks that run from test sources: tunnel throughput and latency against stock openvpn. */
package io.culvert.engine.bench;
