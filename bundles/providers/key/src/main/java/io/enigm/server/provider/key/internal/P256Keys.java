package io.enigm.server.provider.key.internal;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;

/** Enigm Key public keys: X.509 SubjectPublicKeyInfo of an EC key on P-256 (secp256r1), nothing else. */
final class P256Keys {

    private static final ECParameterSpec P256 = p256();

    private P256Keys() {
    }

    /** The key, or {@code null} if {@code encoded} is not a P-256 public key. */
    static ECPublicKey parse(byte[] encoded) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(encoded));
            if (key instanceof ECPublicKey ec && ec.getParams().getCurve().equals(P256.getCurve())
                    && ec.getParams().getOrder().equals(P256.getOrder())
                    && ec.getParams().getGenerator().equals(P256.getGenerator())) {
                return ec;
            }
            return null;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no P-256", e);
        }
    }
}
