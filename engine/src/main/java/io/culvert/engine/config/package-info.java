/** OpenVPN 2.6 config files: the line lexer, the directive model that keeps every line with its writer, the catalogue and import report, the typed client profile, and the typed server config with its client-config-dir files. */
package io.culvert.engine.config;
