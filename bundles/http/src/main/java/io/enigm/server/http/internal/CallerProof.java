package io.enigm.server.http.internal;

/**
 * How the caller of a route proves itself, as the OpenAPI document declares it: a security scheme
 * where OpenAPI has one (a bearer token, a header), otherwise {@code security: []} and an
 * {@code x-enigm-proof} naming what is signed in the body. Each route declares its proof in its
 * {@link Access}: an administrative route the admin token, a public one what it names there.
 */
enum CallerProof {

    /** An admin token: every administrative route. */
    ADMIN_TOKEN("adminToken", null),
    /** Nobody: anyone may call. */
    NONE(null, null),
    /** The requesting device's Ed25519 signature over the request, in {@link JoinRequestRoutes#SIGNATURE_HEADER}. */
    DEVICE_SIGNATURE_HEADER("deviceSignature", null),
    /** A device's Ed25519 signature over a server-issued nonce, in the JSON body (API.md: keys and signatures). */
    DEVICE_SIGNED_BODY(null, "device-signed-body"),
    /** The session's bearer token (and a device-signed nonce in the body). */
    SESSION_TOKEN("sessionToken", null),
    /** The provider's outside service signs its report (e.g. HMAC-SHA256) in the JSON body. */
    PROVIDER_SIGNED_BODY(null, "provider-signed-body");

    /** The name in {@code components/securitySchemes}, or null when OpenAPI cannot express the proof. */
    final String scheme;
    /** The {@code x-enigm-proof} of a proof carried in the body, or null. */
    final String inBody;

    CallerProof(String scheme, String inBody) {
        this.scheme = scheme;
        this.inBody = inBody;
    }
}
