package dev.multipartuploadsts.credentials;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * How long one AWS call may take within an invocation, retries included: its configured budget, cut to the time
 * the invocation has left minus a reserve for writing the answer. So a slow dependency ends in the handler's own
 * 503 with Retry-After, never in a Lambda timeout (which API Gateway turns into a bare 5xx the page cannot tell
 * apart). There is no separate per-attempt limit: a fresh JVM's first call also loads the SDK's classes, which on
 * a loaded machine can take seconds, and a per-attempt cut would turn that into a needless retry; a stuck
 * connection is ended by the HTTP client's read timeout or by this budget.
 */
final class CallBudget {

    /** Time kept back for mapping the failure, writing the answer and the log line. */
    static final Duration ANSWER_RESERVE = Duration.ofMillis(500);
    /** Less than this left for a call is not worth trying: the caller gets the 503 at once. */
    static final Duration MIN_CALL = Duration.ofMillis(100);

    private CallBudget() {
    }

    /**
     * The budget for one call.
     *
     * @param context the invocation, or null when there is none (tests, priming): then only {@code configured}
     * @return empty when too little time is left to call at all
     */
    static Optional<Duration> of(Duration configured, Context context) {
        Duration total = configured;
        if (context != null) {
            Duration left = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(ANSWER_RESERVE);
            if (left.compareTo(total) < 0) {
                total = left;
            }
        }
        return total.compareTo(MIN_CALL) < 0 ? Optional.empty() : Optional.of(total);
    }
}
