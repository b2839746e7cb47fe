/**
 * The import report: what Culvert does with each directive of an imported profile or server config, and every
 * problem that stops it from being used, each at its line. Built on the catalogue and readers of
 * {@code engine.config}; nothing in the model uses it.
 */
package io.culvert.engine.config.report;
