package dev.multipartuploadsts.credentials;

/**
 * A failure that becomes an HTTP answer: the status, a stable error code and a message for the caller,
 * plus a detail that goes only to the log. Carries no stack trace: it is control flow, not a bug.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String retryAfterSeconds;
    private final String detail;

    private ApiException(int status, String code, String message, String retryAfterSeconds, String detail) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.detail = detail;
    }

    /** 400: the request body is not what the route expects. */
    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message, null, null);
    }

    /** 401: no usable identity in the authorizer's claims. */
    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null, null);
    }

    /** 403: the caller asked for a key that is not theirs, or not one this service issues. */
    public static ApiException forbiddenKey(String message, String detail) {
        return new ApiException(403, "forbidden_key", message, null, detail);
    }

    /** 403 with another code: the caller asked for something that is not theirs, or not (or no longer) there. */
    public static ApiException forbidden(String code, String message, String detail) {
        return new ApiException(403, code, message, null, detail);
    }

    /** 409: the upload is not in a state that allows the request; the message names the state. */
    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message, null, null);
    }

    /**
     * 429 {@code quota_exceeded}: a per-user limit is reached; the message names the limit, the usage and when
     * it frees up.
     *
     * @param retryAfterSeconds when the limit frees up, or null when that depends on the user's other uploads
     */
    public static ApiException quotaExceeded(String message, String retryAfterSeconds) {
        return new ApiException(429, "quota_exceeded", message, retryAfterSeconds, null);
    }

    /** 404: the route is not one this handler serves. */
    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null, null);
    }

    /** 503 with Retry-After: a dependency is overloaded or down; the same request may succeed later. */
    public static ApiException unavailable(String code, String message, String retryAfterSeconds, String detail) {
        return new ApiException(503, code, message, retryAfterSeconds, detail);
    }

    /** 502: a dependency answered something this handler cannot use. */
    public static ApiException badGateway(String message, String detail) {
        return new ApiException(502, "bad_gateway", message, null, detail);
    }

    /** 500: a fault on our side (configuration, permissions, a bug); the caller gets no details. */
    public static ApiException internal(String detail) {
        return new ApiException(500, "internal_error",
                "The request failed because of a server-side problem; it has been logged.", null, detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for the Retry-After header, or null for none. */
    public String retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** What the log should say beyond the code, or null; never shown to the caller. */
    public String detail() {
        return detail;
    }
}
