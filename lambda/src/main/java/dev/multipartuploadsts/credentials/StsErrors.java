package dev.multipartuploadsts.credentials;

import java.io.IOException;
import javax.xml.stream.XMLStreamException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Maps what STS (or the way to it) did into the caller's answer, in one place:
 * <ul>
 *   <li>throttling: 503 {@code throttled} with Retry-After;</li>
 *   <li>STS 5xx, network failure or timeout: 503 {@code sts_unavailable} with Retry-After, as the same
 *       request may well succeed in a moment;</li>
 *   <li>any other STS error (AccessDenied, a bad role ARN, a rejected policy, expired execution-role
 *       credentials): 500 {@code internal_error}, because only the operator can fix it;</li>
 *   <li>an answer that cannot be read, or lacks credentials: 502 {@code bad_gateway}.</li>
 * </ul>
 * STS's own code and message go to the log only.
 */
final class StsErrors {

    static final String RETRY_AFTER_SECONDS = "2";

    private StsErrors() {
    }

    static ApiException toApiException(SdkException e) {
        if (e instanceof SdkServiceException) {
            SdkServiceException service = (SdkServiceException) e;
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

    /** The credentials in an AssumeRole answer, or 502 if any part is missing. */
    static ApiResponse.IssuedCredentials credentials(AssumeRoleResponse response) {
        Credentials c = response.credentials();
        if (c == null || c.accessKeyId() == null || c.secretAccessKey() == null || c.sessionToken() == null
                || c.expiration() == null) {
            throw ApiException.badGateway("The credentials service gave an answer without credentials.",
                    "AssumeRole answered without complete Credentials");
        }
        return new ApiResponse.IssuedCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(),
                c.expiration());
    }

    private static String errorCode(SdkServiceException e) {
        if (e instanceof AwsServiceException && ((AwsServiceException) e).awsErrorDetails() != null) {
            return ((AwsServiceException) e).awsErrorDetails().errorCode();
        }
        return null;
    }

    private static ApiException unavailable(String detail) {
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
