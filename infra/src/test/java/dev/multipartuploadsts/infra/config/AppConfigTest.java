package dev.multipartuploadsts.infra.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipartuploadsts.infra.TestApps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppConfigTest {
    private static final List<String> KNOBS = List.of("stackPrefix", "credentialDurationSeconds",
            "maxUploadSizeBytes", "abortIncompleteUploadsAfterDays", "uploadBucketEncryption", "extraCorsOrigins",
            "corsMaxAgeSeconds", "uploadRoleExtraTrustedPrincipals", "oidcIssuer", "oidcAudience", "oidcClientId",
            "signInScopes", "cognitoDomainPrefix", "cognitoMfa", "apiThrottlingRateLimit", "apiThrottlingBurstLimit",
            "logRetentionDays", "lambdaMemorySize", "lambdaTimeoutSeconds", "stsTimeoutMillis", "webPriceClass",
            "uploadConcurrency", "oidcApiScope", "oidcTokenEndpointOrigin", "auditTrail", "auditLogRetentionDays",
            "alarms", "alarmEmail", "maxOpenUploadsPerUser", "maxBytesPerUserPerDay", "grantMaxAgeSeconds",
            "rejectedObjects", "transferAcceleration");

    private static AppConfig configWith(Map<String, Object> context) {
        return AppConfig.fromContext(context::get);
    }

    private static AppConfig configWith(String key, Object value) {
        Map<String, Object> context = new HashMap<>();
        context.put(key, value);
        return configWith(context);
    }

    @Test
    void cdkJsonDeclaresEveryKnobWithTheDefaultTheCodeUses() {
        Map<String, Object> cdkJson = TestApps.cdkJsonContext();
        assertThat(cdkJson).containsKeys(KNOBS.toArray(String[]::new));
        Map<String, Object> knobsOnly = new HashMap<>();
        KNOBS.forEach(key -> knobsOnly.put(key, cdkJson.get(key)));
        assertThat(configWith(knobsOnly)).isEqualTo(configWith(Map.of()));
    }

    @Test
    void defaultsAreTheSafeOnes() {
        AppConfig config = configWith(Map.of());
        assertThat(config).isEqualTo(AppConfig.DEFAULTS);
        assertThat(config.credentialDurationSeconds()).isEqualTo(900);
        assertThat(config.maxUploadSizeBytes()).isEqualTo(5L * 1024 * 1024 * 1024 * 1024);
        assertThat(config.abortIncompleteUploadsAfterDays()).isEqualTo(2);
        assertThat(config.uploadBucketEncryption()).isEqualTo(AppConfig.BucketEncryption.S3_MANAGED);
        assertThat(config.extraCorsOrigins()).isEmpty();
        assertThat(config.uploadRoleExtraTrustedPrincipals()).isEmpty();
        assertThat(config.externalOidc()).isEmpty();
        assertThat(config.cognitoMfa()).isEqualTo(AppConfig.CognitoMfa.REQUIRED);
    }

    /** Values as {@code cdk -c key=value} passes them: strings, quoted back in the message. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "credentialDurationSeconds|7200|credentialDurationSeconds must be a whole number from 900 to 3600, but \"7200\" was given",
        "credentialDurationSeconds|899|credentialDurationSeconds must be a whole number from 900 to 3600, but \"899\" was given",
        "credentialDurationSeconds|15.5|credentialDurationSeconds must be a whole number from 900 to 3600, but \"15.5\" was given",
        "abortIncompleteUploadsAfterDays|0|abortIncompleteUploadsAfterDays must be a whole number from 1 to 365, but \"0\" was given",
        "apiThrottlingRateLimit|0|apiThrottlingRateLimit must be a whole number from 1 to 10000, but \"0\" was given",
        "apiThrottlingBurstLimit|-5|apiThrottlingBurstLimit must be a whole number from 1 to 5000, but \"-5\" was given",
        "maxUploadSizeBytes|5497558138881|maxUploadSizeBytes must be a whole number from 1 to 5497558138880, but \"5497558138881\" was given",
        "lambdaTimeoutSeconds|30|lambdaTimeoutSeconds must be a whole number from 1 to 29, but \"30\" was given",
        "uploadConcurrency|17|uploadConcurrency must be a whole number from 1 to 16, but \"17\" was given",
        "logRetentionDays|2|logRetentionDays must be one of [1, 3, 5, 7, 14, 30, 60, 90",
        "uploadBucketEncryption|AES|uploadBucketEncryption must be one of [S3_MANAGED, KMS], but \"AES\" was given",
        "cognitoMfa|OFF|cognitoMfa must be one of [REQUIRED, OPTIONAL], but \"OFF\" was given",
        "webPriceClass|cheap|webPriceClass must be one of [PriceClass_100, PriceClass_200, PriceClass_All], but \"cheap\" was given",
        "cognitoDomainPrefix|my-aws-uploads|cognitoDomainPrefix must not contain \"aws\"",
        "cognitoDomainPrefix|-bad|cognitoDomainPrefix must be 1-63 lowercase letters, digits or hyphens",
        "stackPrefix|9lives|stackPrefix must be a letter followed by up to 63 letters, digits or hyphens, but \"9lives\" was given",
        "stackPrefix|my.uploads|stackPrefix must be a letter followed by up to 63 letters, digits or hyphens, but \"my.uploads\" was given",
        "transferAcceleration|yes|transferAcceleration must be true or false, but \"yes\" was given",
        "transferAcceleration|Enabled|transferAcceleration must be true or false, but \"Enabled\" was given",
        "transferAcceleration|1|transferAcceleration must be true or false, but \"1\" was given",
    })
    void rejectsAValueOutsideItsRangeNamingKeyRuleAndValue(String key, String value, String message) {
        assertThatThrownBy(() -> configWith(key, value))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void rejectsAJsonValueOfTheWrongType() {
        assertThatThrownBy(() -> configWith("credentialDurationSeconds", List.of(900)))
                .hasMessage("credentialDurationSeconds must be a whole number from 900 to 3600, but a list [900] was given");
        assertThatThrownBy(() -> configWith("oidcIssuer", 42))
                .hasMessage("oidcIssuer must be a string, but 42 was given");
        assertThatThrownBy(() -> configWith("extraCorsOrigins", List.of(1)))
                .hasMessage("extraCorsOrigins[0] must be a string, but 1 was given");
    }

    @Test
    void transferAccelerationIsOffByDefaultAndTakesAJsonBooleanOrTheCommandLineWords() {
        assertThat(AppConfig.DEFAULTS.transferAcceleration()).isFalse();
        assertThat(configWith("transferAcceleration", true).transferAcceleration()).isTrue();
        assertThat(configWith("transferAcceleration", "true").transferAcceleration()).isTrue();
        assertThat(configWith("transferAcceleration", "false").transferAcceleration()).isFalse();
        assertThatThrownBy(() -> configWith("transferAcceleration", 1))
                .hasMessage("transferAcceleration must be true or false, but 1 was given");
    }

    @Test
    void acceptsCommandLineStringsForNumbersAndLists() {
        Map<String, Object> context = Map.of(
                "credentialDurationSeconds", "3600",
                "extraCorsOrigins", "http://localhost:5173, https://uploads.example.com",
                "uploadRoleExtraTrustedPrincipals", "[\"arn:aws:iam::123456789012:role/Operator\"]");
        AppConfig config = configWith(context);
        assertThat(config.credentialDurationSeconds()).isEqualTo(3600);
        assertThat(config.extraCorsOrigins()).containsExactly("http://localhost:5173", "https://uploads.example.com");
        assertThat(config.uploadRoleExtraTrustedPrincipals()).containsExactly("arn:aws:iam::123456789012:role/Operator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "https://example.com/", "https://example.com/app", "https://*.example.com",
            "ftp://example.com", "example.com", "https://user@example.com", "http://localhost.evil.com:3000"})
    void rejectsCorsOriginsThatAreNotExactHttpsOrLocalOrigins(String origin) {
        assertThatThrownBy(() -> configWith("extraCorsOrigins", List.of(origin)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("extraCorsOrigins[0] must be an origin like https://example.com")
                .hasMessageContaining("\"" + origin + "\" was given");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://uploads.example.com", "https://example.com:8443", "http://localhost:5173",
            "http://localhost"})
    void acceptsHttpsOriginsAndPlainHttpOnlyForLocalhost(String origin) {
        assertThat(configWith("extraCorsOrigins", List.of(origin)).extraCorsOrigins()).containsExactly(origin);
    }

    /** Issue 11, defect 2: every extra origin becomes a Cognito callback URL, and Cognito refuses that one. */
    @Test
    void refusesPlainHttpOn127001WhileTheAppCreatesTheCognitoPoolBecauseCognitoRefusesItAsCallback() {
        assertThatThrownBy(() -> configWith("extraCorsOrigins", List.of("https://ok.example.com", "http://127.0.0.1:8080")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("extraCorsOrigins[1] must use https, or plain http only with the host localhost, while the "
                        + "app creates the Cognito user pool (oidcIssuer is empty): every origin becomes a Cognito "
                        + "callback and sign-out URL, and Cognito accepts plain http only for http://localhost; but "
                        + "\"http://127.0.0.1:8080\" was given (use http://localhost:8080)");
    }

    @Test
    void acceptsPlainHttpOn127001WithAnExternalIssuerWhereNoCognitoCallbackIsMade() {
        AppConfig config = configWith(Map.of("oidcIssuer", "https://login.example.com", "oidcAudience", "uploads-api",
                "oidcApiScope", "uploads:write", "extraCorsOrigins", List.of("http://127.0.0.1:8080")));
        assertThat(config.extraCorsOrigins()).containsExactly("http://127.0.0.1:8080");
    }

    /** Issue 11, defect 5: the STS budget must end well before the function's timeout. */
    @Test
    void stsBudgetMustLeaveTheFunctionTimeToAnswerNamingBothKeys() {
        assertThat(configWith(Map.of()).stsTimeoutMillis()).isEqualTo(5000);
        assertThat(configWith(Map.of("lambdaTimeoutSeconds", 7, "stsTimeoutMillis", 5000)).stsTimeoutMillis())
                .isEqualTo(5000);
        assertThatThrownBy(() -> configWith(Map.of("lambdaTimeoutSeconds", 6)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("stsTimeoutMillis must be at most lambdaTimeoutSeconds x 1000 - 2000 (the rest of the "
                        + "request needs time to answer before the function times out), so at most 4000 with "
                        + "lambdaTimeoutSeconds 6, but 5000 was given");
        assertThatThrownBy(() -> configWith("stsTimeoutMillis", 400))
                .hasMessage("stsTimeoutMillis must be a whole number from 500 to 27000, but 400 was given");
    }

    /** Issue 11, defect 7: two deployments with different stack prefixes in one account and region. */
    @Test
    void theDerivedCognitoDomainPrefixMustBeOneCognitoAccepts() {
        assertThatThrownBy(() -> configWith("stackPrefix", "MyAwsUploads"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("cognitoDomainPrefix is empty, so it is derived from stackPrefix as "
                        + "\"myawsuploads-<account id>\", which Cognito refuses: it must not contain \"aws\" (Cognito reserves it); "
                        + "set cognitoDomainPrefix, or choose another stackPrefix (\"MyAwsUploads\" was given)");
        String longPrefix = "A" + "b".repeat(50);
        assertThatThrownBy(() -> configWith("stackPrefix", longPrefix))
                .hasMessageContaining("it must be at most 63 characters, and the account id and hyphen take 13");
        assertThat(configWith(Map.of("stackPrefix", "MyAwsUploads", "cognitoDomainPrefix", "uploads-team-a"))
                .stackPrefix()).isEqualTo("MyAwsUploads");
    }

    /** Issue 11, defect 6: a provider whose token endpoint is not on the issuer's origin (Google's). */
    @Test
    void theTokenEndpointOriginMustBeAnHttpsOriginAndAppliesOnlyWithAnExternalIssuer() {
        Map<String, Object> google = Map.of("oidcIssuer", "https://accounts.google.com", "oidcAudience", "client",
                "oidcApiScope", "uploads:write");
        Map<String, Object> withOrigin = new HashMap<>(google);
        withOrigin.put("oidcTokenEndpointOrigin", "https://oauth2.googleapis.com");
        assertThat(configWith(withOrigin).externalOidc().orElseThrow().tokenEndpointOrigin())
                .contains("https://oauth2.googleapis.com");
        assertThat(configWith(google).externalOidc().orElseThrow().tokenEndpointOrigin()).isEmpty();
        withOrigin.put("oidcTokenEndpointOrigin", "https://oauth2.googleapis.com/token");
        assertThatThrownBy(() -> configWith(withOrigin))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("oidcTokenEndpointOrigin must be an https origin like https://oauth2.googleapis.com "
                        + "(no path, wildcard or trailing slash), but \"https://oauth2.googleapis.com/token\" was given");
        assertThatThrownBy(() -> configWith("oidcTokenEndpointOrigin", "https://oauth2.googleapis.com"))
                .hasMessageStartingWith("oidcAudience, oidcClientId, oidcApiScope and oidcTokenEndpointOrigin apply "
                        + "only with oidcIssuer");
    }

    @Test
    void rejectsTrustedPrincipalsThatAreNotRoleOrUserArns() {
        assertThatThrownBy(() -> configWith("uploadRoleExtraTrustedPrincipals", List.of("*")))
                .hasMessage("uploadRoleExtraTrustedPrincipals[0] must be an IAM role or user ARN such as "
                        + "arn:aws:iam::123456789012:role/Operator, but \"*\" was given");
        assertThatThrownBy(() -> configWith("uploadRoleExtraTrustedPrincipals",
                List.of("arn:aws:iam::123456789012:root")))
                .hasMessageContaining("\"arn:aws:iam::123456789012:root\" was given");
    }

    @Test
    void anExternalIssuerNeedsAnAudienceAndAnApiScopeAndDefaultsTheClientIdToTheAudience() {
        assertThatThrownBy(() -> configWith("oidcIssuer", "https://login.example.com"))
                .hasMessageStartingWith("oidcAudience must be set when oidcIssuer is set");
        assertThatThrownBy(() -> configWith(Map.of("oidcIssuer", "http://login.example.com", "oidcAudience", "a")))
                .hasMessageStartingWith("oidcIssuer must be an https URL");
        assertThatThrownBy(() -> configWith("oidcAudience", "orphan"))
                .hasMessageStartingWith("oidcAudience, oidcClientId, oidcApiScope and oidcTokenEndpointOrigin apply "
                        + "only with oidcIssuer");
        AppConfig config = configWith(Map.of("oidcIssuer", "https://login.example.com", "oidcAudience", "uploads-api",
                "oidcApiScope", "uploads:write"));
        assertThat(config.externalOidc()).isEqualTo(Optional.of(AppConfig.ExternalOidc.builder()
                .issuer("https://login.example.com").audience("uploads-api").clientId("uploads-api")
                .apiScope("uploads:write").build()));
    }

    /** Issue 11, defect 4: without a required scope, an ID token (which has none) would pass the authorizer. */
    @Test
    void anExternalIssuerMustNameTheScopeEveryApiRouteRequires() {
        assertThatThrownBy(() -> configWith(Map.of("oidcIssuer", "https://login.example.com", "oidcAudience", "a")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("oidcApiScope must be set when oidcIssuer is set (every API route requires this scope in "
                        + "the access token's scope or scp claim, so ID tokens are refused), but it is empty");
        assertThatThrownBy(() -> configWith(Map.of("oidcIssuer", "https://login.example.com", "oidcAudience", "a",
                "oidcApiScope", "two scopes")))
                .hasMessage("oidcApiScope must be one OAuth scope (1-256 printable ASCII characters without spaces, "
                        + "quotes or backslashes), but \"two scopes\" was given");
    }
}
