package dev.multipartuploadsts.credentials;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

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
        RequestLog line = new RequestLog();
        if (context != null) {
            line.lambdaRequestId = context.getAwsRequestId();
        }
        ApiResponse response;
        try {
            response = handle(read(input), line);
            line.outcome = "issued";
        } catch (ApiException e) {
            response = ApiResponse.error(e);
            line.outcome = e.code();
            line.detail = e.detail();
        } catch (RuntimeException e) {
            // A bug: the caller gets the generic 500; the log gets what happened and where.
            StackTraceElement[] trace = e.getStackTrace();
            ApiException internal = ApiException.internal(e + (trace.length > 0 ? " at " + trace[0] : ""));
            response = ApiResponse.error(internal);
            line.outcome = internal.code();
            line.detail = internal.detail();
        }
        line.status = response.status();
        response.writeTo(output);
        log.accept(line.toJson());
    }

    private ApiResponse handle(HttpApiEvent event, RequestLog line) {
        line.requestId = event.requestId();
        line.route = event.routeKey();
        boolean start = START_ROUTE.equals(event.routeKey());
        if (!start && !REFRESH_ROUTE.equals(event.routeKey())) {
            throw ApiException.notFound("route must be " + START_ROUTE + " or " + REFRESH_ROUTE + ", but "
                    + event.routeKey() + " was given");
        }
        String owner = owner(event.subject());
        line.owner = owner;
        byte[] body = event.bodyBytes();

        String key;
        Long partSize;
        if (start) {
            RequestBodies.StartUpload upload = RequestBodies.start(body, config.maxUploadSize());
            line.size = upload.size();
            line.contentType = upload.contentType();
            key = ObjectKeys.key(owner, uploadIds.get(), upload.fileName());
            partSize = PartSizes.forSize(upload.size());
        } else {
            key = RequestBodies.refresh(body);
            if (!ObjectKeys.isIssuedTo(key, owner)) {
                throw forbidden(key, owner);
            }
            // The size is not known here; the page keeps the part size it got when the upload started.
            partSize = null;
        }
        line.key = key;
        return ApiResponse.issued(config.bucket(), config.region(), key, partSize, assumeRole(owner, key, line));
    }

    private ApiResponse.IssuedCredentials assumeRole(String owner, String key, RequestLog line) {
        String sessionName = Owners.sessionName(owner);
        AssumeRoleRequest request = AssumeRoleRequest.builder()
                .roleArn(config.roleArn())
                .roleSessionName(sessionName)
                .sourceIdentity(sessionName)
                .durationSeconds(config.durationSeconds())
                .policy(SessionPolicy.forObject(config.partition(), config.bucket(), key, config.kmsKeyArn()))
                .build();
        long started = System.nanoTime();
        AssumeRoleResponse response;
        try {
            response = sts.assumeRole(request);
        } catch (SdkException e) {
            throw StsErrors.toApiException(e);
        } finally {
            line.stsLatencyMs = (System.nanoTime() - started) / 1_000_000;
        }
        line.packedPolicySize = response.packedPolicySize();
        return StsErrors.credentials(response);
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
     * Built once per execution environment, at init: settings and the client, no AWS call, nothing
     * credential- or clock-derived kept. With SnapStart, also primes the request path (see {@link Priming}).
     */
    private static final class Production {
        static final Map<String, String> ENV = System.getenv();
        static final Config CONFIG = Config.fromEnvironment(ENV);
        static final StsClient STS = StsClients.create(CONFIG.region(), StsClients.lambdaCredentials(ENV), null);

        static {
            if (Priming.pays(ENV)) {
                Priming.prime(CONFIG, line -> System.out.println(line));
            }
        }
    }
}
