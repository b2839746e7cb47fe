/** Small value types shared by the codec, crypto and session packages: drop reasons and decode results. */
package io.culvert.engine.common;
