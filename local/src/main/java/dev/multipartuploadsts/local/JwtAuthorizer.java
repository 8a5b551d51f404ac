package dev.multipartuploadsts.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a bearer token the way API Gateway's JWT authorizer does for an HTTP API: an RSA signature by a
 * key of the issuer's JWKS (found through its discovery document), {@code iss} equal to the issuer,
 * {@code aud} (or, when it has none, {@code client_id}) naming one of the audiences, {@code exp} in the future and
 * {@code nbf}, if present, in the past.
 *
 * @see <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html">Controlling
 *     access to HTTP APIs with JWT authorizers</a>
 */
public final class JwtAuthorizer {

    /** API Gateway accepts only RSA signatures. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);

    private final List<String> audiences;
    private final DefaultJWTProcessor<SecurityContext> processor;

    /**
     * @param issuer the exact {@code iss} required
     * @param audiences accepted {@code aud} (or {@code client_id}) values
     * @param keys the issuer's signing keys
     */
    public JwtAuthorizer(String issuer, List<String> audiences, JWKSource<SecurityContext> keys) {
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("audiences must name at least one audience, but none was given");
        }
        this.audiences = List.copyOf(audiences);
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        // API Gateway does not look at typ: plain JWTs (Cognito) and RFC 9068 access tokens (at+jwt) both pass.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                null, new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp"), null));
    }

    /** An authorizer whose keys come from the JWKS that {@code issuer}'s discovery document names. */
    public static JwtAuthorizer discovering(String issuer, List<String> audiences) {
        return new JwtAuthorizer(issuer, audiences, new DiscoveredKeys(issuer));
    }

    /**
     * The token's claims as JSON values.
     *
     * @throws Rejected with a reason when API Gateway would answer 401
     */
    public Map<String, Object> verify(String token) throws Rejected {
        JWTClaimsSet claims;
        try {
            claims = processor.process(SignedJWT.parse(token), null);
        } catch (ParseException e) {
            throw new Rejected("the token is not a signed JWT");
        } catch (BadJWTException e) {
            throw new Rejected(e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            throw new Rejected("the token's signature cannot be verified: " + e.getMessage());
        }
        // API Gateway reads client_id only when the token has no aud (Cognito's access tokens have none).
        List<String> aud = claims.getAudience();
        if (!aud.isEmpty()) {
            if (aud.stream().noneMatch(audiences::contains)) {
                throw new Rejected("aud " + aud + " names none of " + audiences);
            }
        } else {
            Object clientId = claims.getClaim("client_id");
            if (!(clientId instanceof String) || !audiences.contains(clientId)) {
                throw new Rejected("the token has no aud, and client_id " + clientId + " is not one of " + audiences);
            }
        }
        return claims.toJSONObject();
    }

    /**
     * Whether verified {@code claims} carry at least one of a route's {@code authorizationScopes}, read as API
     * Gateway reads them: from {@code scope} (space-separated) or {@code scp} (space-separated or an array). A route
     * without scopes admits every verified token; one with scopes refuses (403) a token without them, such as an
     * OpenID Connect ID token.
     */
    public static boolean carriesOneOf(List<String> authorizationScopes, Map<String, Object> claims) {
        if (authorizationScopes.isEmpty()) {
            return true;
        }
        return scopes(claims).stream().anyMatch(authorizationScopes::contains);
    }

    /** The scopes a token carries, from its {@code scope} or {@code scp} claim; empty when it has neither. */
    static List<String> scopes(Map<String, Object> claims) {
        List<String> scopes = new ArrayList<>();
        for (String claim : List.of("scope", "scp")) {
            Object value = claims.get(claim);
            if (value instanceof String text) {
                scopes.addAll(List.of(text.trim().split("\\s+")));
            } else if (value instanceof List<?> items) {
                items.stream().filter(String.class::isInstance).map(String.class::cast).forEach(scopes::add);
            }
        }
        scopes.removeIf(String::isEmpty);
        return scopes;
    }

    /** The token does not pass; API Gateway answers 401 and never invokes the integration. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason);
        }
    }

    /** The issuer's JWKS, located through {@code /.well-known/openid-configuration} on first use. */
    private static final class DiscoveredKeys implements JWKSource<SecurityContext> {
        private final String issuer;
        private volatile JWKSource<SecurityContext> keys;

        DiscoveredKeys(String issuer) {
            this.issuer = issuer;
        }

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            JWKSource<SecurityContext> source = keys;
            if (source == null) {
                source = JWKSourceBuilder.create(jwksUrl()).retrying(true).build();
                keys = source;
            }
            return source.get(selector, context);
        }

        private URL jwksUrl() throws KeySourceException {
            String discovery = issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
            try {
                HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                        .send(HttpRequest.newBuilder(URI.create(discovery)).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new KeySourceException(discovery + " answered HTTP " + response.statusCode());
                }
                return URI.create(JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "jwks_uri")).toURL();
            } catch (IOException | ParseException | IllegalArgumentException e) {
                throw new KeySourceException("cannot read " + discovery + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeySourceException("interrupted while reading " + discovery, e);
            }
        }
    }
}
