package dev.multipartuploadsts.infra.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
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
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(key + " must be " + rule + ", but \"" + value + "\" was given");
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        boolean shapeOk = scheme != null && host != null && uri.getRawUserInfo() == null
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                && uri.getRawQuery() == null && uri.getRawFragment() == null
                && HOST.matcher(host).matches() && value.equals(scheme + "://" + host + portSuffix(uri));
        if (!shapeOk) {
            throw new InvalidConfigException(key + " must be " + rule + ", but \"" + value + "\" was given");
        }
        boolean local = host.equals("localhost") || host.equals("127.0.0.1");
        if (!scheme.equals("https") && !(scheme.equals("http") && local)) {
            throw new InvalidConfigException(key + " must be " + rule + ", but \"" + value
                    + "\" was given (plain http is allowed only for localhost and 127.0.0.1)");
        }
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
        if (!COGNITO_PREFIX.matcher(value).matches()) {
            throw new InvalidConfigException(key + " must be 1-63 lowercase letters, digits or hyphens, not starting "
                    + "or ending with a hyphen, but \"" + value + "\" was given");
        }
        for (String reserved : new String[] {"aws", "amazon", "cognito"}) {
            if (value.contains(reserved)) {
                throw new InvalidConfigException(key + " must not contain \"" + reserved
                        + "\" (Cognito reserves it), but \"" + value + "\" was given");
            }
        }
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
