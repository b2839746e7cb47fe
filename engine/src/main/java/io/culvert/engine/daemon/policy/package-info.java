/**
 * What culvertd accepts from a caller, shared by the service (which refuses) and {@code engine.remote} (which refuses
 * early and inlines files): the directives a client profile or server config sent to the service may not contain.
 */
package io.culvert.engine.daemon.policy;
