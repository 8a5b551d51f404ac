package dev.multipartuploadsts.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtAuthorizerTest {

    private static final String ISSUER = "http://127.0.0.1:1/issuer";
    private static final String CLIENT = "local-web";
    private static RSAKey key;
    private static RSAKey otherKey;
    private static JwtAuthorizer authorizer;

    @BeforeAll
    static void keys() throws JOSEException {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        authorizer = new JwtAuthorizer(ISSUER, List.of(CLIENT), new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
    }

    private static JWTClaimsSet.Builder valid() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience(CLIENT)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
    }

    private static String signed(JWTClaimsSet claims, RSAKey with) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    @Test
    void admitsASignedTokenFromTheIssuerForTheAudienceAndHandsOverItsClaims() throws Exception {
        Map<String, Object> claims = authorizer.verify(signed(valid().build(), key));
        assertThat(claims).containsEntry("sub", "alice").containsEntry("iss", ISSUER);
    }

    @Test
    void admitsATokenWithoutAudWhoseClientIdIsTheAudienceAsCognitoAccessTokensHaveIt() throws Exception {
        JWTClaimsSet claims = valid().audience((String) null).claim("client_id", CLIENT).build();
        assertThat(authorizer.verify(signed(claims, key))).containsEntry("client_id", CLIENT);
    }

    @Test
    void rejectsATokenWhoseAudIsWrongEvenWhenItsClientIdMatches() throws Exception {
        JWTClaimsSet claims = valid().audience("someone-else").claim("client_id", CLIENT).build();
        assertThatThrownBy(() -> authorizer.verify(signed(claims, key)))
                .isInstanceOf(JwtAuthorizer.Rejected.class).hasMessageContaining("aud [someone-else]");
    }

    @Test
    void rejectsATokenSignedByAKeyNotInTheIssuersJwks() throws Exception {
        assertThatThrownBy(() -> authorizer.verify(signed(valid().build(), otherKey)))
                .isInstanceOf(JwtAuthorizer.Rejected.class).hasMessageContaining("signature");
    }

    @Test
    void rejectsATokenFromAnotherIssuer() throws Exception {
        assertThatThrownBy(() -> authorizer.verify(signed(valid().issuer("http://evil.example").build(), key)))
                .isInstanceOf(JwtAuthorizer.Rejected.class).hasMessageContaining("iss");
    }

    @Test
    void rejectsAnExpiredToken() throws Exception {
        JWTClaimsSet claims = valid().expirationTime(Date.from(Instant.now().minusSeconds(300))).build();
        assertThatThrownBy(() -> authorizer.verify(signed(claims, key)))
                .isInstanceOf(JwtAuthorizer.Rejected.class).hasMessageContaining("Expired");
    }

    @Test
    void rejectsATokenWithoutExpiry() throws Exception {
        JWTClaimsSet claims = valid().expirationTime(null).build();
        assertThatThrownBy(() -> authorizer.verify(signed(claims, key)))
                .isInstanceOf(JwtAuthorizer.Rejected.class).hasMessageContaining("exp");
    }

    @Test
    void rejectsATokenNotYetValid() throws Exception {
        JWTClaimsSet claims = valid().notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build();
        assertThatThrownBy(() -> authorizer.verify(signed(claims, key)))
                .isInstanceOf(JwtAuthorizer.Rejected.class).hasMessageContaining("before");
    }

    @Test
    void rejectsUnsignedAndHmacSignedTokens() throws Exception {
        String unsigned = new PlainJWT(valid().build()).serialize();
        assertThatThrownBy(() -> authorizer.verify(unsigned)).isInstanceOf(JwtAuthorizer.Rejected.class);
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), valid().build());
        hmac.sign(new MACSigner(new byte[32]));
        assertThatThrownBy(() -> authorizer.verify(hmac.serialize())).isInstanceOf(JwtAuthorizer.Rejected.class);
    }

    @Test
    void rejectsATokenWhosePayloadWasChangedAfterSigning() throws Exception {
        String[] parts = signed(valid().build(), key).split("\\.");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                valid().subject("bob").build().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> authorizer.verify(parts[0] + "." + forged + "." + parts[2]))
                .isInstanceOf(JwtAuthorizer.Rejected.class);
    }

    /** Issue 11, defect 4: an ID token passes issuer, audience and signature, so only the scope refuses it. */
    @Test
    void aRouteWithScopesAdmitsOnlyTokensCarryingOneInScopeOrScp() throws Exception {
        List<String> route = List.of("multipart-upload-sts/upload");
        Map<String, Object> idToken = authorizer.verify(signed(valid().build(), key));
        Map<String, Object> accessToken = authorizer.verify(signed(valid()
                .claim("scope", "openid email multipart-upload-sts/upload").build(), key));
        Map<String, Object> scpArray = authorizer.verify(signed(valid()
                .claim("scp", List.of("multipart-upload-sts/upload")).build(), key));
        Map<String, Object> otherScope = authorizer.verify(signed(valid().claim("scope", "openid email").build(), key));

        assertThat(JwtAuthorizer.carriesOneOf(route, idToken)).isFalse();
        assertThat(JwtAuthorizer.carriesOneOf(route, otherScope)).isFalse();
        assertThat(JwtAuthorizer.carriesOneOf(route, accessToken)).isTrue();
        assertThat(JwtAuthorizer.carriesOneOf(route, scpArray)).isTrue();
        assertThat(JwtAuthorizer.carriesOneOf(List.of(), idToken)).as("a route without scopes").isTrue();
    }
}
