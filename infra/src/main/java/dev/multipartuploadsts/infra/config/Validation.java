package dev.multipartuploadsts.infra.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Pure checks of single context values; each throws {@link InvalidConfigException} naming key, rule and value. */
public final class Validation {
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern IAM_PRINCIPAL_ARN =
            Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:(role|user)/[\\w+=,.@/-]{1,512}");
    private static final Pattern COGNITO_PREFIX = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    /** local@domain with a dotted domain: what an SNS email subscription can deliver to, without display names. */
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+");
    /** RFC 6749's scope-token, which is also Cognito's rule for a resource server identifier; 256 as Cognito caps it. */
    private static final Pattern OAUTH_SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}");
    /** Stands in for the account id (a deploy-time token) when a derived domain prefix is checked at synth time. */
    private static final String SAMPLE_ACCOUNT_ID = "123456789012";

    private Validation() { }

    static void matches(String key, String value, String regex, String rule) {
        if (!value.matches(regex)) {
            throw new InvalidConfigException(key + " must be " + rule + ", but \"" + value + "\" was given");
        }
    }

    /**
     * A browser origin: {@code https://host[:port]}, or {@code http://} only for localhost and 127.0.0.1
     * (a developer's machine); no path, query, wildcard or trailing slash, because S3 and API Gateway
     * compare origins as exact strings.
     */
    public static void corsOrigin(String key, String value) {
        String rule = "an origin like https://example.com or http://localhost:5173 (https, or http only for "
                + "localhost and 127.0.0.1; no path, wildcard or trailing slash)";
        URI uri = origin(value).orElseThrow(
                () -> new InvalidConfigException(key + " must be " + rule + ", but \"" + value + "\" was given"));
        boolean local = uri.getHost().equals("localhost") || uri.getHost().equals("127.0.0.1");
        if (!uri.getScheme().equals("https") && !(uri.getScheme().equals("http") && local)) {
            throw new InvalidConfigException(key + " must be " + rule + ", but \"" + value
                    + "\" was given (plain http is allowed only for localhost and 127.0.0.1)");
        }
    }

    /**
     * An origin (already a valid {@link #corsOrigin}) that Cognito also accepts as a callback and sign-out URL:
     * Cognito requires https, except http://localhost for testing (CreateUserPoolClient, CallbackURLs).
     */
    public static void cognitoCallbackOrigin(String key, String value) {
        URI uri = URI.create(value);
        if (uri.getScheme().equals("http") && !uri.getHost().equals("localhost")) {
            throw new InvalidConfigException(key + " must use https, or plain http only with the host localhost, "
                    + "while the app creates the Cognito user pool (oidcIssuer is empty): every origin becomes a "
                    + "Cognito callback and sign-out URL, and Cognito accepts plain http only for http://localhost; "
                    + "but \"" + value + "\" was given (use http://localhost" + portSuffix(uri) + ")");
        }
    }

    /** An https origin: {@code https://host[:port]}, nothing after it. */
    public static void httpsOrigin(String key, String value) {
        if (origin(value).filter(uri -> uri.getScheme().equals("https")).isEmpty()) {
            throw new InvalidConfigException(key + " must be an https origin like https://oauth2.googleapis.com "
                    + "(no path, wildcard or trailing slash), but \"" + value + "\" was given");
        }
    }

    /** One OAuth 2.0 scope token (RFC 6749 section 3.3). */
    public static void oauthScope(String key, String value) {
        if (!OAUTH_SCOPE.matcher(value).matches()) {
            throw new InvalidConfigException(key + " must be one OAuth scope (1-256 printable ASCII characters "
                    + "without spaces, quotes or backslashes), but \"" + value + "\" was given");
        }
    }

    /**
     * {@code value} parsed when it is exactly {@code scheme://host[:port]} with a lower-case DNS host, as browsers
     * send the Origin header and S3, API Gateway and CSP compare it; empty otherwise.
     */
    private static Optional<URI> origin(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        boolean shapeOk = scheme != null && host != null && uri.getRawUserInfo() == null
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null
                && HOST.matcher(host).matches() && value.equals(scheme + "://" + host + portSuffix(uri));
        return shapeOk ? Optional.of(uri) : Optional.empty();
    }

    /** An https URL without query or fragment, as an OIDC issuer is. */
    public static void httpsUrl(String key, String value) {
        String rule = "an https URL without query, fragment or trailing slash (the issuer exactly as in the token's iss claim)";
        try {
            URI uri = new URI(value);
            if ("https".equals(uri.getScheme()) && uri.getHost() != null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && !value.endsWith("/")
                    && HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches()) {
                return;
            }
        } catch (URISyntaxException e) {
            // falls through to the error below, which names the value
        }
        throw new InvalidConfigException(key + " must be " + rule + ", but \"" + value + "\" was given");
    }

    /** An IAM role or user ARN in some account, as a trust policy principal must be. */
    public static void iamPrincipalArn(String key, String value) {
        if (!IAM_PRINCIPAL_ARN.matcher(value).matches()) {
            throw new InvalidConfigException(key + " must be an IAM role or user ARN such as "
                    + "arn:aws:iam::123456789012:role/Operator, but \"" + value + "\" was given");
        }
    }

    /** Cognito's rules for a hosted-domain prefix. */
    public static void cognitoDomainPrefix(String key, String value) {
        cognitoDomainPrefixProblem(value).ifPresent(problem -> {
            throw new InvalidConfigException(key + " " + problem + ", but \"" + value + "\" was given");
        });
    }

    /** The hosted-domain prefix derived when {@code cognitoDomainPrefix} is empty. */
    static String derivedCognitoDomainPrefix(String stackPrefix, String accountId) {
        return stackPrefix.toLowerCase(Locale.ROOT) + "-" + accountId;
    }

    /** Checks that the prefix derived from {@code stackPrefix} is one Cognito accepts, whatever the account. */
    static void derivedCognitoDomainPrefix(String stackPrefix) {
        String derived = derivedCognitoDomainPrefix(stackPrefix, SAMPLE_ACCOUNT_ID);
        Optional<String> problem = derived.length() > 63
                ? Optional.of("must be at most 63 characters, and the account id and hyphen take 13")
                : cognitoDomainPrefixProblem(derived);
        problem.ifPresent(rule -> {
            throw new InvalidConfigException("cognitoDomainPrefix is empty, so it is derived from stackPrefix as \""
                    + derivedCognitoDomainPrefix(stackPrefix, "<account id>") + "\", which Cognito refuses: it "
                    + rule + "; set cognitoDomainPrefix, or choose another stackPrefix (\"" + stackPrefix
                    + "\" was given)");
        });
    }

    /** The Cognito rule {@code value} breaks as a hosted-domain prefix ("must ..."), or empty. */
    private static Optional<String> cognitoDomainPrefixProblem(String value) {
        if (!COGNITO_PREFIX.matcher(value).matches()) {
            return Optional.of("must be 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen");
        }
        for (String reserved : new String[] {"aws", "amazon", "cognito"}) {
            if (value.contains(reserved)) {
                return Optional.of("must not contain \"" + reserved + "\" (Cognito reserves it)");
            }
        }
        return Optional.empty();
    }

    /** One plain email address (no display name, no list), at most 254 characters. */
    public static void emailAddress(String key, String value) {
        if (value.length() > 254 || !EMAIL.matcher(value).matches()) {
            throw new InvalidConfigException(key + " must be one email address such as ops@example.com (no name, "
                    + "no list, at most 254 characters), but \"" + value + "\" was given");
        }
    }

    private static String portSuffix(URI uri) {
        return uri.getPort() == -1 ? "" : ":" + uri.getPort();
    }
}
