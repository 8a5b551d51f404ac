package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.config.AppConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the API's JWT authorizer and the page need to know about the identity provider, whichever it is; built by
 * name with {@link #builder()}.
 *
 * @param issuer         the token issuer, exactly as in the {@code iss} claim; the page's OIDC authority; required
 * @param audience       the audience (or Cognito {@code client_id}) the JWT authorizer requires; required
 * @param clientId       the OAuth client the page signs in with; default the audience
 * @param signInScopes   space-separated scopes the page asks for besides {@code apiScope}; default
 *                       {@code openid email profile}
 * @param apiScope       the scope every API route requires, which only access tokens carry; required
 * @param signOutUrl     a provider-specific sign-out URL (Cognito's /logout), when the provider has no
 *                       {@code end_session_endpoint} in its discovery document; default none
 * @param connectOrigins origins the page must be allowed to fetch from to sign in (discovery, token endpoint);
 *                       default none
 */
public record SignInSettings(
        String issuer,
        String audience,
        String clientId,
        String signInScopes,
        String apiScope,
        Optional<String> signOutUrl,
        List<String> connectOrigins) {

    /** Every scope the page asks for: the sign-in scopes and the API's scope, each once. */
    public String pageScopes() {
        List<String> scopes = new ArrayList<>(List.of(signInScopes.split(" ")));
        if (!scopes.contains(apiScope)) {
            scopes.add(apiScope);
        }
        return String.join(" ", scopes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from the defaults above. */
    public static final class Builder {
        private String issuer;
        private String audience;
        private String clientId;
        private String signInScopes = AppConfig.DEFAULTS.signInScopes();
        private String apiScope;
        private Optional<String> signOutUrl = Optional.empty();
        private List<String> connectOrigins = List.of();

        private Builder() { }

        public Builder issuer(String value) {
            this.issuer = value;
            return this;
        }

        public Builder audience(String value) {
            this.audience = value;
            return this;
        }

        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        public Builder signInScopes(String value) {
            this.signInScopes = value;
            return this;
        }

        public Builder apiScope(String value) {
            this.apiScope = value;
            return this;
        }

        public Builder signOutUrl(Optional<String> value) {
            this.signOutUrl = value;
            return this;
        }

        public Builder connectOrigins(List<String> value) {
            this.connectOrigins = List.copyOf(value);
            return this;
        }

        public SignInSettings build() {
            String requiredAudience = Required.prop("SignInSettings.audience", audience);
            return new SignInSettings(Required.prop("SignInSettings.issuer", issuer), requiredAudience,
                    clientId == null ? requiredAudience : clientId, signInScopes,
                    Required.prop("SignInSettings.apiScope", apiScope), signOutUrl, connectOrigins);
        }
    }
}
