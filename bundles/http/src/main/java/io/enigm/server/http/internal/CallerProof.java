package io.enigm.server.http.internal;

import java.util.Map;

/**
 * How the caller of a route that takes no admin token proves itself, as the OpenAPI document
 * declares it: a security scheme where OpenAPI has one (a header or a bearer token), otherwise
 * {@code security: []} and an {@code x-enigm-proof} naming what is signed in the body. Every
 * public route must be listed in {@link #BY_ACTION}: the document refuses to build otherwise, so a
 * new public route cannot go undeclared.
 */
enum CallerProof {

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

    /** The public routes by audit action. */
    static final Map<String, CallerProof> BY_ACTION = Map.of(
            "health", NONE,
            "openapi", NONE,
            "join-request.submit", NONE,
            "join-request.follow", DEVICE_SIGNATURE_HEADER,
            "join-request.cancel", DEVICE_SIGNATURE_HEADER,
            "session.challenge", NONE,
            "session.open", DEVICE_SIGNED_BODY,
            "session.renew", SESSION_TOKEN,
            "device.add", DEVICE_SIGNED_BODY,
            "attestation.callback", PROVIDER_SIGNED_BODY);

    /** The name in {@code components/securitySchemes}, or null when OpenAPI cannot express the proof. */
    final String scheme;
    /** The {@code x-enigm-proof} of a proof carried in the body, or null. */
    final String inBody;

    CallerProof(String scheme, String inBody) {
        this.scheme = scheme;
        this.inBody = inBody;
    }

    static CallerProof of(Route route) {
        CallerProof proof = BY_ACTION.get(route.action());
        if (proof == null) {
            throw new IllegalStateException("the public route " + route.method() + " " + route.template()
                    + " declares no caller proof in " + CallerProof.class.getSimpleName());
        }
        return proof;
    }
}
