package io.charon.jobs.security;

import io.charon.jobs.job.SealedSecrets;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.config.SecurityConfig;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Seals secret variables with AES-256-GCM under {@code charon.security.secret-key} and opens them
 * again just before a run. The ciphertext is {@code version | 12-byte nonce | ciphertext and tag},
 * base64, with a fixed associated text; a fresh random nonce per seal. Without a key, nothing can
 * be sealed, and a submission with secrets is refused rather than stored in the clear.
 */
@ApplicationScoped
public class SecretBox {

    static final byte VERSION = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    static final byte[] ASSOCIATED = "charon-jobs/secret-variables/v1".getBytes(StandardCharsets.US_ASCII);
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {
    };

    private final SecretKeySpec key;
    private final SecretKeySpec digestKey;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper json = new ObjectMapper();

    public SecretBox(SecurityConfig config) {
        byte[] raw = config.secretKey().filter(text -> !text.isBlank()).map(SecretBox::decodeKey).orElse(null);
        this.key = raw == null ? null : new SecretKeySpec(raw, "AES");
        this.digestKey = raw == null ? null : new SecretKeySpec(hmac(new SecretKeySpec(raw, "HmacSHA256"),
                "charon-jobs/secret-digest".getBytes(StandardCharsets.US_ASCII)), "HmacSHA256");
    }

    private static byte[] decodeKey(String text) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("charon.security.secret-key must be base64 (openssl rand -base64 32)");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("charon.security.secret-key must be 32 bytes (AES-256), base64; it has "
                    + raw.length);
        }
        return raw;
    }

    /** True when a key is configured, so secrets can be accepted. */
    public boolean available() {
        return key != null;
    }

    public SealedSecrets seal(Map<String, String> secrets) {
        if (key == null) {
            throw new IllegalStateException("no charon.security.secret-key is configured");
        }
        byte[] plain = plainText(secrets);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(ASSOCIATED);
            byte[] sealed = cipher.doFinal(plain);
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed);
            return new SealedSecrets(List.copyOf(new TreeMap<>(secrets).keySet()),
                    Base64.getEncoder().encodeToString(hmac(digestKey, plain)),
                    Base64.getEncoder().encodeToString(out.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal secret variables", e);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The secrets in plain text, for the run that needs them.
     *
     * @throws SecretsUnavailableException no key, another key, or a damaged ciphertext
     */
    public Map<String, String> open(SealedSecrets sealed) {
        if (key == null) {
            throw new SecretsUnavailableException("no charon.security.secret-key is configured");
        }
        byte[] plain = null;
        try {
            ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(sealed.ciphertext()));
            if (in.remaining() < 1 + NONCE_BYTES || in.get() != VERSION) {
                throw new SecretsUnavailableException("the sealed secret variables are damaged");
            }
            byte[] nonce = new byte[NONCE_BYTES];
            in.get(nonce);
            byte[] body = new byte[in.remaining()];
            in.get(body);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(ASSOCIATED);
            plain = cipher.doFinal(body);
            return json.readValue(plain, MAP);
        } catch (GeneralSecurityException | IllegalArgumentException | java.io.IOException e) {
            throw new SecretsUnavailableException("the secret variables cannot be opened with the configured"
                    + " charon.security.secret-key (was the key changed?)");
        } finally {
            if (plain != null) {
                java.util.Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private byte[] plainText(Map<String, String> secrets) {
        try {
            return json.writeValueAsBytes(new TreeMap<>(secrets));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Secret variables that cannot be opened; the run fails with this message. */
    public static class SecretsUnavailableException extends RuntimeException {
        public SecretsUnavailableException(String message) {
            super(message);
        }
    }
}
