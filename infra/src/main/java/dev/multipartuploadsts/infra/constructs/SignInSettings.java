package dev.multipartuploadsts.infra.constructs;

import java.util.List;
import java.util.Optional;

/**
 * What the API's JWT authorizer and the page need to know about the identity provider, whichever it is.
 *
 * @param issuer         the token issuer, exactly as in the {@code iss} claim; the page's OIDC authority
 * @param audience       the audience (or Cognito {@code client_id}) the JWT authorizer requires
 * @param clientId       the OAuth client the page signs in with
 * @param scopes         space-separated scopes the page asks for
 * @param signOutUrl     a provider-specific sign-out URL (Cognito's /logout), when the provider has no
 *                       {@code end_session_endpoint} in its discovery document
 * @param connectOrigins origins the page must be allowed to fetch from to sign in (discovery, token endpoint)
 */
public record SignInSettings(
        String issuer,
        String audience,
        String clientId,
        String scopes,
        Optional<String> signOutUrl,
        List<String> connectOrigins) { }
