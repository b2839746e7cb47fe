/**
 * The typed OpenVPN 2.6/2.7 config model: the {@link io.culvert.engine.config.Directives} catalogue, the client
 * profile and server config records composed of small part records, the readers that build them from an
 * {@link io.culvert.engine.config.file.OvpnFile}, and the client-config-dir files. Uses {@code config.file}; the
 * import report in {@code config.report} uses it.
 */
package io.culvert.engine.config;
