/** OpenVPN 2.6 config files: the line lexer, the directive model and catalogue, and the typed client profile. */
package io.culvert.engine.config;
