/** The Culvert desktop app (JavaFX). It sees the engine only through {@code io.culvert.engine.api}. */
package io.culvert.app;
