package dev.multipartuploadsts.credentials;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Vends per-upload STS credentials to callers of the HTTP API ({@code POST /uploads},
 * {@code POST /uploads/refresh}). Parse, validate, choose the key, build the session policy, call STS,
 * answer; each step lives in its own class, and every failure is an {@link ApiException} answered here.
 */
public final class CredentialsHandler implements RequestStreamHandler {

    public static final String START_ROUTE = "POST /uploads";
    public static final String REFRESH_ROUTE = "POST /uploads/refresh";

    private final Config config;
    private final StsClient sts;
    private final Supplier<String> uploadIds;
    private final Consumer<String> log;

    /** What Lambda instantiates: settings from the environment and the shared STS client. */
    public CredentialsHandler() {
        this(Production.CONFIG, Production.STS, () -> UUID.randomUUID().toString(),
                line -> System.out.println(line));
    }

    /**
     * For tests and the benchmark.
     *
     * @param uploadIds gives a fresh lowercase UUID per started upload
     * @param log receives one JSON line per request
     */
    public CredentialsHandler(Config config, StsClient sts, Supplier<String> uploadIds, Consumer<String> log) {
        this.config = config;
        this.sts = sts;
        this.uploadIds = uploadIds;
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Handled handled = handle(input, context);
        handled.response().writeTo(output);
        log.accept(handled.line().toJson());
    }

    /** The answer to one invocation and its log line; every failure is answered here, in one place. */
    private Handled handle(InputStream input, Context context) {
        RequestLog line = RequestLog.forInvocation(context == null ? null : context.getAwsRequestId());
        try {
            HttpApiEvent event = read(input);
            line = line.withRequest(event.requestId(), event.routeKey());
            boolean start = START_ROUTE.equals(event.routeKey());
            if (!start && !REFRESH_ROUTE.equals(event.routeKey())) {
                throw ApiException.notFound("route must be " + START_ROUTE + " or " + REFRESH_ROUTE + ", but "
                        + event.routeKey() + " was given");
            }
            String owner = owner(event.subject());
            line = line.withOwner(owner);
            Upload upload = start ? newUpload(owner, event.bodyBytes()) : uploadToRefresh(owner, event.bodyBytes());
            line = line.withUpload(upload.key(), upload.size(), upload.contentType());

            long started = System.nanoTime();
            IssuedCredentials credentials;
            try {
                credentials = assumeRole(owner, upload.key(), context);
            } finally {
                line = line.withSts((System.nanoTime() - started) / 1_000_000, null);
            }
            line = line.withSts(line.stsLatencyMs(), credentials.packedPolicySize());
            ApiResponse response = ApiResponse.issued(config.bucket(), config.region(), upload.key(),
                    upload.partSize(), credentials);
            return new Handled(response, line.answered(response.status(), "issued", null));
        } catch (ApiException e) {
            return new Handled(ApiResponse.error(e), line.answered(e.status(), e.code(), e.detail()));
        } catch (RuntimeException e) {
            // A bug: the caller gets the generic 500; the log gets what happened and where.
            StackTraceElement[] trace = e.getStackTrace();
            ApiException internal = ApiException.internal(e + (trace.length > 0 ? " at " + trace[0] : ""));
            return new Handled(ApiResponse.error(internal),
                    line.answered(internal.status(), internal.code(), internal.detail()));
        }
    }

    /** A start request's new key under the caller's owner, and the part size for the declared size. */
    private Upload newUpload(String owner, byte[] body) {
        RequestBodies.StartUpload upload = RequestBodies.start(body, config.maxUploadSize());
        String key = ObjectKeys.key(owner, uploadIds.get(), upload.fileName());
        return new Upload(key, upload.size(), upload.contentType(), PartSizes.forSize(upload.size()));
    }

    /**
     * A refresh request's key, once it is known to be one issued to the caller. The size is not known here;
     * the page keeps the part size it got when the upload started.
     */
    private static Upload uploadToRefresh(String owner, byte[] body) {
        String key = RequestBodies.refresh(body);
        if (!ObjectKeys.isIssuedTo(key, owner)) {
            throw forbidden(key, owner);
        }
        return new Upload(key, null, null, null);
    }

    private IssuedCredentials assumeRole(String owner, String key, Context context) {
        CallBudget budget = CallBudget.of(Duration.ofMillis(config.stsTimeoutMillis()), StsClients.MAX_ATTEMPTS, context)
                .orElseThrow(() -> StsErrors.unavailable("no time left in the invocation to call STS"));
        String sessionName = Owners.sessionName(owner);
        AssumeRoleRequest request = AssumeRoleRequest.builder()
                .roleArn(config.roleArn())
                .roleSessionName(sessionName)
                .sourceIdentity(sessionName)
                .durationSeconds(config.durationSeconds())
                .policy(SessionPolicy.forObject(config.partition(), config.bucket(), key, config.kmsKeyArn()))
                .overrideConfiguration(o -> o.apiCallTimeout(budget.total()).apiCallAttemptTimeout(budget.perAttempt()))
                .build();
        try {
            return IssuedCredentials.from(sts.assumeRole(request));
        } catch (SdkException e) {
            throw StsErrors.toApiException(e);
        }
    }

    private static HttpApiEvent read(InputStream input) {
        try {
            return HttpApiEvent.read(input);
        } catch (IOException e) {
            throw ApiException.internal("the event is not an API Gateway HTTP API event: " + e.getMessage());
        }
    }

    private static String owner(String subject) {
        if (subject == null || subject.isEmpty()) {
            throw ApiException.unauthorized("a verified sub claim is required, but the request carried none");
        }
        try {
            return Owners.encode(subject);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized(e.getMessage());
        }
    }

    private static ApiException forbidden(String key, String owner) {
        String prefix = ObjectKeys.ownerPrefix(owner);
        String message = key.startsWith(prefix)
                ? "key must be exactly as a start request returned it, but it is not"
                : "key must be one of your own uploads, under " + prefix + ", but it is not";
        return ApiException.forbiddenKey(message, "requested key: " + key);
    }

    /** The key a request is about; size, content type and part size only for a start. */
    private record Upload(String key, Long size, String contentType, Long partSize) {
    }

    private record Handled(ApiResponse response, RequestLog line) {
    }

    /**
     * Built once per execution environment, at init: settings and the client, no AWS call, nothing
     * credential- or clock-derived kept. With SnapStart, also primes the request path (see {@link Priming}).
     */
    private static final class Production {
        static final Map<String, String> ENV = System.getenv();
        static final Config CONFIG = Config.fromEnvironment(ENV);
        static final StsClient STS = StsClients.create(CONFIG.region(), StsClients.lambdaCredentials(ENV), null);

        static {
            if (Priming.pays(ENV)) {
                Priming.prime(CONFIG.region(),
                        fakes -> new CredentialsHandler(CONFIG, fakes.sts(), fakes.uploadIds(), line -> { }),
                        line -> System.out.println(line));
            }
        }
    }
}
