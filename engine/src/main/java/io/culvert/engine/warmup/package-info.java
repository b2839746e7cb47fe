/** JIT warm-up at engine start: throwaway in-memory handshakes and packets on a background thread. */
package io.culvert.engine.warmup;
