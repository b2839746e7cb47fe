/** The engine API spoken over culvertd's socket: the app uses it exactly as it uses the in-process engine. */
package io.culvert.engine.remote;
