/** OpenVPN 2.6 config files: the line lexer, the directive model and catalogue, the typed client profile, and the typed server config with its client-config-dir files. */
package io.culvert.engine.config;
