package dev.multipartuploadsts.infra.constructs;

import dev.multipartuploadsts.infra.config.AppConfig;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.IHttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The HTTP API in front of the credentials Lambda (start, refresh, list and abort uploads): every route behind a
 * JWT authorizer, CORS for the page's origins only, throttling for the whole stage and JSON access logs.
 */
public final class CredentialsApi extends Construct {
    /** Starts an upload: the Lambda chooses the key and vends credentials for it. */
    public static final String START_PATH = "/uploads";
    /** New credentials for a key the caller already owns. */
    public static final String REFRESH_PATH = "/uploads/refresh";
    /** The caller's own uploads, newest first ({@code GET} on {@link #START_PATH}). */
    public static final String LIST_PATH = START_PATH;
    /** Marks one of the caller's uploads aborted, freeing its open-upload slot. */
    public static final String ABORT_PATH = "/uploads/abort";

    /** One JSON line per request; identity is the verified subject, never the token. */
    private static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\","
            + "\"time\":\"$context.requestTime\",\"ip\":\"$context.identity.sourceIp\","
            + "\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\","
            + "\"sub\":\"$context.authorizer.claims.sub\",\"authorizerError\":\"$context.authorizer.error\","
            + "\"integrationLatency\":\"$context.integration.latency\","
            + "\"responseLength\":\"$context.responseLength\"}";

    private final HttpApi api;

    /**
     * Props for {@link CredentialsApi}, built by name with {@link #builder()}.
     *
     * @param signIn            issuer, audience and scope the JWT authorizer requires; required
     * @param corsOrigins       the page's origin and configured extra origins; required
     * @param corsMaxAgeSeconds preflight cache time; default 3600
     * @param rateLimit         steady requests per second for the stage; default 10
     * @param burstLimit        burst requests for the stage; default 20
     * @param logRetentionDays  access log retention; default 30
     */
    public record Props(
            SignInSettings signIn,
            List<String> corsOrigins,
            int corsMaxAgeSeconds,
            int rateLimit,
            int burstLimit,
            int logRetentionDays) {

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from the defaults above, which are {@link AppConfig#DEFAULTS}' values. */
        public static final class Builder {
            private SignInSettings signIn;
            private List<String> corsOrigins;
            private int corsMaxAgeSeconds = AppConfig.DEFAULTS.corsMaxAgeSeconds();
            private int rateLimit = AppConfig.DEFAULTS.apiThrottlingRateLimit();
            private int burstLimit = AppConfig.DEFAULTS.apiThrottlingBurstLimit();
            private int logRetentionDays = AppConfig.DEFAULTS.logRetentionDays();

            private Builder() { }

            public Builder signIn(SignInSettings value) {
                this.signIn = value;
                return this;
            }

            public Builder corsOrigins(List<String> value) {
                this.corsOrigins = List.copyOf(value);
                return this;
            }

            public Builder corsMaxAgeSeconds(int value) {
                this.corsMaxAgeSeconds = value;
                return this;
            }

            public Builder rateLimit(int value) {
                this.rateLimit = value;
                return this;
            }

            public Builder burstLimit(int value) {
                this.burstLimit = value;
                return this;
            }

            public Builder logRetentionDays(int value) {
                this.logRetentionDays = value;
                return this;
            }

            public Props build() {
                return new Props(Required.prop("CredentialsApi.Props.signIn", signIn),
                        Required.prop("CredentialsApi.Props.corsOrigins", corsOrigins),
                        corsMaxAgeSeconds, rateLimit, burstLimit, logRetentionDays);
            }
        }
    }

    /** An API whose four routes invoke {@code handler} (the function's alias). */
    public CredentialsApi(Construct scope, String id, IFunction handler, Props props) {
        super(scope, id);
        HttpJwtAuthorizer authorizer = HttpJwtAuthorizer.Builder.create("JwtAuthorizer", props.signIn().issuer())
                .jwtAudience(List.of(props.signIn().audience()))
                .identitySource(List.of("$request.header.Authorization"))
                .build();
        this.api = HttpApi.Builder.create(this, "HttpApi")
                .description("Vends per-upload STS credentials to signed-in users")
                .defaultAuthorizer(authorizer)
                // Only access tokens carry the API's scope: an ID token, though issued for the same audience, is refused.
                .defaultAuthorizationScopes(List.of(props.signIn().apiScope()))
                .createDefaultStage(false)
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(props.corsOrigins())
                        // GET lists the caller's uploads; POST starts, refreshes and aborts them.
                        .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST))
                        .allowHeaders(List.of("authorization", "content-type"))
                        // A 503 from STS throttling carries Retry-After; the page can read it only if exposed.
                        .exposeHeaders(List.of("retry-after"))
                        .maxAge(Duration.seconds(props.corsMaxAgeSeconds()))
                        .build())
                .build();
        HttpLambdaIntegration integration = new HttpLambdaIntegration("CredentialsIntegration", handler);
        // Every route inherits the API's default authorizer and scope; one integration serves them all.
        for (String path : List.of(START_PATH, REFRESH_PATH, ABORT_PATH)) {
            addRoute(HttpMethod.POST, path, integration);
        }
        addRoute(HttpMethod.GET, LIST_PATH, integration);

        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(LogRetention.of(props.logRetentionDays()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        LogGroupLogDestination destination = new LogGroupLogDestination(accessLogs);
        HttpStage.Builder.create(this, "DefaultStage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(props.rateLimit())
                        .burstLimit(props.burstLimit())
                        .build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return destination;
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
                    }
                })
                .build();
    }

    private void addRoute(HttpMethod method, String path, HttpLambdaIntegration integration) {
        api.addRoutes(AddRoutesOptions.builder()
                .path(path)
                .methods(List.of(method))
                .integration(integration)
                .build());
    }

    /** The HTTP API, for its metrics. */
    public IHttpApi httpApi() {
        return api;
    }

    /** {@code https://<api id>.execute-api.<region>.amazonaws.com}; the $default stage has no path segment. */
    public String url() {
        return api.getApiEndpoint();
    }
}
