package dev.multipartuploadsts.credentials;

import java.io.IOException;
import javax.xml.stream.XMLStreamException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Maps what STS (or the way to it) did into the caller's answer, in one place:
 * <ul>
 *   <li>throttling: 503 {@code throttled} with Retry-After;</li>
 *   <li>STS 5xx, network failure or timeout: 503 {@code sts_unavailable} with Retry-After, as the same
 *       request may well succeed in a moment;</li>
 *   <li>any other STS error (AccessDenied, a bad role ARN, a rejected policy, expired execution-role
 *       credentials): 500 {@code internal_error}, because only the operator can fix it;</li>
 *   <li>an answer that cannot be read: 502 {@code bad_gateway} (one without credentials is
 *       {@link IssuedCredentials#from}'s to refuse).</li>
 * </ul>
 * STS's own code and message go to the log only.
 */
final class StsErrors {

    static final String RETRY_AFTER_SECONDS = "2";

    private StsErrors() {
    }

    static ApiException toApiException(SdkException e) {
        if (e instanceof SdkServiceException service) {
            String detail = "STS answered " + service.statusCode() + " " + errorCode(service) + ": " + e.getMessage();
            if (service.isThrottlingException()) {
                return ApiException.unavailable("throttled",
                        "Too many credential requests right now; retry after a short wait.", RETRY_AFTER_SECONDS, detail);
            }
            if (service.statusCode() >= 500) {
                return unavailable(detail);
            }
            return ApiException.internal(detail);
        }
        String detail = "STS call failed: " + e.getMessage();
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || causedBy(e, IOException.class)) {
            return unavailable(detail);
        }
        if (causedBy(e, XMLStreamException.class)) {
            return ApiException.badGateway("The credentials service gave an answer that could not be read.", detail);
        }
        // Credentials that cannot be loaded, a bad endpoint setting, and the like: for the operator.
        return ApiException.internal(detail);
    }

    private static String errorCode(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return null;
    }

    static ApiException unavailable(String detail) {
        return ApiException.unavailable("sts_unavailable",
                "The credentials service is unavailable right now; retry after a short wait.", RETRY_AFTER_SECONDS, detail);
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
