/** A small certificate authority for OpenVPN deployments: keys, certificates, CRLs, static keys and unified client profiles. */
package io.culvert.engine.pki;
