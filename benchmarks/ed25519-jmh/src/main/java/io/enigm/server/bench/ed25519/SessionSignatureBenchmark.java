package io.enigm.server.bench.ed25519;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One session signature check, as the server does it: a valid Ed25519 signature over
 * {@code enigm-session-v1\n<env>\n<device>\n<nonce>} by one of 256 enrolled keys. The JDK's provider
 * (key parsed from its X.509 DER per check, as {@code DeviceKeys} did before) against Bouncy
 * Castle's RFC 8032 code, from the raw key and from a point decoded once per device.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SessionSignatureBenchmark {

    private static final int KEYS = 256;

    private byte[][] ders;
    private byte[][] raws;
    private Ed25519.PublicPoint[] points;
    private byte[][] messages;
    private byte[][] signatures;
    private KeyFactory factory;
    private int next;

    @Setup
    public void enrol() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        factory = KeyFactory.getInstance("Ed25519");
        ders = new byte[KEYS][];
        raws = new byte[KEYS][];
        points = new Ed25519.PublicPoint[KEYS];
        messages = new byte[KEYS][];
        signatures = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            KeyPair pair = generator.generateKeyPair();
            ders[i] = pair.getPublic().getEncoded();
            raws[i] = Arrays.copyOfRange(ders[i], ders[i].length - Ed25519.PUBLIC_KEY_SIZE, ders[i].length);
            points[i] = Ed25519.validatePublicKeyPartialExport(raws[i], 0);
            messages[i] = ("enigm-session-v1\nQ2xvc2VkIGZvciBiZW5jaG1hcmsK\ndmljZS1pZC0wMTIzNDU2Nzg5\n"
                    + "bm9uY2UtMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNk" + i).getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(pair.getPrivate());
            signer.update(messages[i]);
            signatures[i] = signer.sign();
        }
    }

    private int next() {
        next = (next + 1) & (KEYS - 1);
        return next;
    }

    @Benchmark
    public boolean jdk() throws GeneralSecurityException {
        int i = next();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(factory.generatePublic(new X509EncodedKeySpec(ders[i])));
        verifier.update(messages[i]);
        return verifier.verify(signatures[i]);
    }

    @Benchmark
    public boolean bouncyCastleRawKey() {
        int i = next();
        return Ed25519.verify(signatures[i], 0, raws[i], 0, messages[i], 0, messages[i].length);
    }

    @Benchmark
    public boolean bouncyCastleDecodedPoint() {
        int i = next();
        return Ed25519.verify(signatures[i], 0, points[i], messages[i], 0, messages[i].length);
    }
}
