/** The built-in demo network's pieces: its throwaway PKI and configs, and the traffic it drives through in-memory devices. */
package io.culvert.engine.demo;
