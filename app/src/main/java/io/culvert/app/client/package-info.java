/** The app's client face. */
package io.culvert.app.client;
