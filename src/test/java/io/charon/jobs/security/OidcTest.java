package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/**
 * With OIDC configured, JWTs of the identity provider are accepted beside the service's own
 * tokens: the user is the token's {@code preferred_username}, the role its {@code roles} claim.
 * The provider is simulated by a local key pair ({@code quarkus.oidc.public-key}).
 */
@QuarkusTest
@TestProfile(OidcTest.WithOidc.class)
@Tag("store-independent") // who sends a JWT is read from the JWT; the service's own tokens on each store are AuthenticationTest's
class OidcTest {

    static final Path KEYS = Path.of("src/test/resources/oidc");
    static final String ISSUER = "https://idp.charon.test";

    public static class WithOidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.public-key", pemBody(KEYS.resolve("public.pem")),
                    "quarkus.oidc.token.issuer", ISSUER,
                    "quarkus.oidc.token.principal-claim", "preferred_username");
        }
    }

    @Test
    void anOperatorOfTheIdentityProviderSubmitsAsItself() {
        String jwt = jwt("oscar", List.of("operator"), Instant.now().plusSeconds(300), signingKey());
        Api.as(jwt).contentType(ContentType.JSON).body(Api.job("from oidc", "hello.yml")).post("/api/v1/jobs")
                .then().statusCode(201).body("userId", equalTo("oscar"));
        Api.as(jwt).get("/api/v1/workers").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void anAdminClaimIncludesTheLowerRoles() {
        String jwt = jwt("ada", List.of("admin"), Instant.now().plusSeconds(300), signingKey());
        Api.as(jwt).get("/api/v1/workers").then().statusCode(200);
        Api.as(jwt).contentType(ContentType.JSON).body(Api.job("admin via oidc", "hello.yml")).post("/api/v1/jobs")
                .then().statusCode(201);
    }

    @Test
    void aViewerClaimOnlyReads() {
        String jwt = jwt("vic", List.of("viewer"), Instant.now().plusSeconds(300), signingKey());
        Api.as(jwt).get("/api/v1/jobs").then().statusCode(200);
        Api.as(jwt).contentType(ContentType.JSON).body(Api.job("no", "hello.yml")).post("/api/v1/jobs")
                .then().statusCode(403);
    }

    @Test
    void expiredForeignAndUnsignedTokensAreRefusedWithProblems() throws GeneralSecurityException {
        PrivateKey stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        for (String jwt : List.of(jwt("late", List.of("admin"), Instant.now().minusSeconds(3600), signingKey()),
                jwt("mallory", List.of("admin"), Instant.now().plusSeconds(300), stranger),
                unsigned("mallory", List.of("admin")))) {
            Api.as(jwt).get("/api/v1/jobs").then().statusCode(401).contentType("application/problem+json");
        }
    }

    @Test
    void theServicesOwnTokensStillWork() {
        Api.as(Api.token("still-here", "viewer")).get("/api/v1/jobs").then().statusCode(200);
    }

    // ---- a tiny JWT issuer -------------------------------------------------------------------------

    static String jwt(String user, List<String> roles, Instant expires, PrivateKey key) {
        String header = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload = encode(claims(user, roles, expires));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(String user, List<String> roles) {
        return encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(claims(user, roles, Instant.now().plusSeconds(300))) + ".";
    }

    private static String claims(String user, List<String> roles, Instant expires) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + user + "-id\",\"preferred_username\":\"" + user + "\","
                + "\"roles\":[" + String.join(",", roles.stream().map(r -> "\"" + r + "\"").toList()) + "],"
                + "\"iat\":" + Math.min(now, expires.getEpochSecond() - 60) + ",\"exp\":" + expires.getEpochSecond() + "}";
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static PrivateKey signingKey() {
        try {
            byte[] der = Base64.getDecoder().decode(pemBody(KEYS.resolve("private.pem")));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pemBody(Path pem) {
        try {
            return Files.readAllLines(pem).stream().filter(line -> !line.startsWith("-----")).reduce("", String::concat);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
