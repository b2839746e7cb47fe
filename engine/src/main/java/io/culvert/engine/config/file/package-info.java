/**
 * OpenVPN config files as text, with no knowledge of what an option means: the line lexer, the parser that keeps
 * every line (comments, inline blocks, {@code <connection>} blocks), the writer, the bounded file reader, and the
 * located parse error with its {@link io.culvert.engine.config.file.Reason}. Depends on nothing else in Culvert.
 */
package io.culvert.engine.config.file;
