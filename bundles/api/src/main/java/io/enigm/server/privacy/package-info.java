/**
 * Privacy-preserving identifiers: external identifiers (account handles, device keys, ICCIDs,
 * key serials) become HMAC handles under a per-environment key, which is destroyed with the
 * environment (crypto-shredding).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.enigm.server.privacy;
