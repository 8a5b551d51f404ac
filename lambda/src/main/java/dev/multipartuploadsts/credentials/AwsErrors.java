package dev.multipartuploadsts.credentials;

import java.io.IOException;
import javax.xml.stream.XMLStreamException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Maps what STS or the ledger's DynamoDB (or the way to them) did into the caller's answer, in one place:
 * <ul>
 *   <li>throttling: 503 {@code throttled} with Retry-After;</li>
 *   <li>a 5xx, network failure or timeout: 503 {@code sts_unavailable} or {@code ledger_unavailable} with
 *       Retry-After, as the same request may well succeed in a moment;</li>
 *   <li>any other error (AccessDenied, a bad role ARN or table, a rejected policy, expired execution-role
 *       credentials): 500 {@code internal_error}, because only the operator can fix it;</li>
 *   <li>an STS answer that cannot be read: 502 {@code bad_gateway} (one without credentials is
 *       {@link IssuedCredentials#from}'s to refuse).</li>
 * </ul>
 * The service's own code and message go to the log only. What a ledger condition refused is
 * {@link UploadLedger}'s to answer.
 */
final class AwsErrors {

    static final String RETRY_AFTER_SECONDS = "2";

    /** The two services the handler calls, as the caller and the log name them. */
    enum Service {
        STS("STS", "sts_unavailable", "The credentials service"),
        LEDGER("DynamoDB", "ledger_unavailable", "The upload ledger");

        private final String logName;
        private final String unavailableCode;
        private final String callerName;

        Service(String logName, String unavailableCode, String callerName) {
            this.logName = logName;
            this.unavailableCode = unavailableCode;
            this.callerName = callerName;
        }
    }

    private AwsErrors() {
    }

    static ApiException toApiException(Service service, SdkException e) {
        if (e instanceof SdkServiceException answered) {
            String detail = service.logName + " answered " + answered.statusCode() + " " + errorCode(answered) + ": "
                    + e.getMessage();
            if (answered.isThrottlingException()) {
                return ApiException.unavailable("throttled",
                        "Too many requests right now; retry after a short wait.", RETRY_AFTER_SECONDS, detail);
            }
            if (answered.statusCode() >= 500) {
                return unavailable(service, detail);
            }
            return ApiException.internal(detail);
        }
        String detail = service.logName + " call failed: " + e.getMessage();
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || causedBy(e, IOException.class)) {
            return unavailable(service, detail);
        }
        if (causedBy(e, XMLStreamException.class)) {
            return ApiException.badGateway(service.callerName + " gave an answer that could not be read.", detail);
        }
        // Credentials that cannot be loaded, a bad endpoint setting, and the like: for the operator.
        return ApiException.internal(detail);
    }

    /** 503 with Retry-After: {@code service} cannot be used right now. */
    static ApiException unavailable(Service service, String detail) {
        return ApiException.unavailable(service.unavailableCode, service.callerName
                + " is unavailable right now; retry after a short wait.", RETRY_AFTER_SECONDS, detail);
    }

    private static String errorCode(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return null;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
