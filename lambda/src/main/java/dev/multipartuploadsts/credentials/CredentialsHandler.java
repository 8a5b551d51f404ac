package dev.multipartuploadsts.credentials;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.multipartuploadsts.ledger.UploadKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * The HTTP API's handler: vends per-upload STS credentials ({@code POST /uploads}, {@code POST /uploads/refresh})
 * against the upload ledger, lists the caller's uploads ({@code GET /uploads}) and aborts one
 * ({@code POST /uploads/abort}). Parse, validate, choose the key, check or record the grant, build the session
 * policy, call STS, answer; each step lives in its own class, and every failure is an {@link ApiException}
 * answered here.
 */
public final class CredentialsHandler implements RequestStreamHandler {

    public static final String START_ROUTE = "POST /uploads";
    public static final String REFRESH_ROUTE = "POST /uploads/refresh";
    public static final String LIST_ROUTE = "GET /uploads";
    public static final String ABORT_ROUTE = "POST /uploads/abort";

    private final Config config;
    private final StsClient sts;
    private final UploadLedger ledger;
    private final Supplier<String> uploadIds;
    private final Clock clock;
    private final Consumer<String> log;

    /** What Lambda instantiates: settings from the environment and the shared clients. */
    public CredentialsHandler() {
        this(Production.CONFIG, Production.STS, Production.DYNAMO_DB, () -> UploadIds.next(Instant.now()),
                Clock.systemUTC(), line -> System.out.println(line));
    }

    /**
     * For tests and the benchmark.
     *
     * @param dynamoDb the client for the ledger table {@code config.ledger().table()}
     * @param uploadIds gives a fresh lowercase UUID per started upload
     * @param clock the ledger's times and the grants' age
     * @param log receives one JSON line per request
     */
    public CredentialsHandler(Config config, StsClient sts, DynamoDbClient dynamoDb, Supplier<String> uploadIds,
            Clock clock, Consumer<String> log) {
        this.config = config;
        this.sts = sts;
        this.ledger = new UploadLedger(dynamoDb, config.ledger());
        this.uploadIds = uploadIds;
        this.clock = clock;
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
            String route = route(event.routeKey());
            String owner = owner(event.subject());
            line = line.withOwner(owner);
            Instant now = clock.instant();
            if (route.equals(LIST_ROUTE)) {
                UploadListing.Request request = UploadListing.request(event.query(), owner);
                UploadLedger.Page page = ledger.list(owner, request.afterUploadId(), request.limit(), context);
                return answered(line, UploadListing.answer(owner, page), "listed");
            }

            Upload upload = route.equals(START_ROUTE) ? newUpload(owner, event.bodyBytes()) : ownUpload(owner, event);
            line = line.withUpload(upload.key(), upload.size(), upload.contentType());
            long ledgerStarted = System.nanoTime();
            try {
                if (route.equals(START_ROUTE)) {
                    ledger.recordGrant(upload.grant(), now, context);
                } else if (route.equals(REFRESH_ROUTE)) {
                    ledger.requireRefreshable(owner, upload.uploadId(), upload.key(), now, context);
                } else {
                    ledger.abort(owner, upload.uploadId(), upload.key(), now, context);
                }
            } finally {
                line = line.withLedger(millisSince(ledgerStarted));
            }
            if (route.equals(ABORT_ROUTE)) {
                return answered(line, ApiResponse.aborted(upload.key()), "aborted");
            }

            long stsStarted = System.nanoTime();
            IssuedCredentials credentials;
            try {
                credentials = assumeRole(owner, upload.key(), context);
            } catch (ApiException e) {
                if (route.equals(START_ROUTE)) {
                    // No credentials left: the grant must not hold a slot while the page retries its start.
                    ledger.release(owner, upload.uploadId(), upload.key(), clock.instant(), context);
                }
                throw e;
            } finally {
                line = line.withSts(millisSince(stsStarted), null);
            }
            line = line.withSts(line.stsLatencyMs(), credentials.packedPolicySize());
            return answered(line, ApiResponse.issued(config.bucket(), config.region(), upload.key(),
                    upload.partSize(), credentials), "issued");
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

    private static String route(String routeKey) {
        if (START_ROUTE.equals(routeKey) || REFRESH_ROUTE.equals(routeKey) || LIST_ROUTE.equals(routeKey)
                || ABORT_ROUTE.equals(routeKey)) {
            return routeKey;
        }
        throw ApiException.notFound("route must be " + START_ROUTE + ", " + REFRESH_ROUTE + ", " + LIST_ROUTE + " or "
                + ABORT_ROUTE + ", but " + routeKey + " was given");
    }

    /** A start request's new key under the caller's owner, the part size for the declared size, and its grant. */
    private Upload newUpload(String owner, byte[] body) {
        RequestBodies.StartUpload upload = RequestBodies.start(body, config.maxUploadSize());
        String uploadId = uploadIds.get();
        String key = ObjectKeys.key(owner, uploadId, upload.fileName());
        long partSize = PartSizes.forSize(upload.size());
        return new Upload(key, uploadId, upload.size(), upload.contentType(), partSize,
                new UploadLedger.NewGrant(owner, uploadId, key, upload.givenFileName(), upload.size(),
                        upload.contentType(), partSize));
    }

    /**
     * The key of a refresh or abort request, once it is known to be shaped as one issued to the caller. The size
     * is not known here; the page keeps the part size it got when the upload started.
     */
    private static Upload ownUpload(String owner, HttpApiEvent event) {
        String key = RequestBodies.key(event.bodyBytes());
        if (!ObjectKeys.isIssuedTo(key, owner)) {
            throw forbidden(key, owner);
        }
        return new Upload(key, UploadKey.parse(key).uploadId(), null, null, null, null);
    }

    private IssuedCredentials assumeRole(String owner, String key, Context context) {
        Duration budget = CallBudget.of(Duration.ofMillis(config.stsTimeoutMillis()), context)
                .orElseThrow(() -> AwsErrors.unavailable(AwsErrors.Service.STS,
                        "no time left in the invocation to call STS"));
        String sessionName = Owners.sessionName(owner);
        AssumeRoleRequest request = AssumeRoleRequest.builder()
                .roleArn(config.roleArn())
                .roleSessionName(sessionName)
                .sourceIdentity(sessionName)
                .durationSeconds(config.durationSeconds())
                .policy(SessionPolicy.forObject(config.partition(), config.bucket(), key, config.kmsKeyArn()))
                .overrideConfiguration(o -> o.apiCallTimeout(budget))
                .build();
        try {
            return IssuedCredentials.from(sts.assumeRole(request));
        } catch (SdkException e) {
            throw AwsErrors.toApiException(AwsErrors.Service.STS, e);
        }
    }

    private static Handled answered(RequestLog line, ApiResponse response, String outcome) {
        return new Handled(response, line.answered(response.status(), outcome, null));
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
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

    /**
     * The upload a request is about; size, content type, part size and the grant to record only for a start.
     */
    private record Upload(String key, String uploadId, Long size, String contentType, Long partSize,
            UploadLedger.NewGrant grant) {
    }

    private record Handled(ApiResponse response, RequestLog line) {
    }

    /**
     * Built once per execution environment, at init: settings and the clients, no AWS call, nothing
     * credential- or clock-derived kept. With SnapStart, also primes the request path (see {@link Priming}).
     */
    private static final class Production {
        static final Map<String, String> ENV = System.getenv();
        static final Config CONFIG = Config.fromEnvironment(ENV);
        /** One provider for both clients, so the execution role's credentials are fetched and cached once. */
        static final AwsCredentialsProvider CREDENTIALS = AwsClients.lambdaCredentials(ENV);
        static final StsClient STS = AwsClients.sts(CONFIG.region(), CREDENTIALS, null);
        static final DynamoDbClient DYNAMO_DB = AwsClients.dynamoDb(CONFIG.region(), CREDENTIALS, null);

        static {
            if (Priming.pays(ENV)) {
                Priming.prime(CONFIG.region(), fakes -> new CredentialsHandler(CONFIG, fakes.sts(), fakes.dynamoDb(),
                        fakes.uploadIds(), Clock.systemUTC(), line -> { }), line -> System.out.println(line));
            }
        }
    }
}
