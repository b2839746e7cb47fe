package io.culvert.engine.api;

/** Receives engine events on an engine thread; implementations must not block. */
@FunctionalInterface
public interface EngineListener {
    void onEvent(EngineEvent event);
}
