package dev.multipartuploadsts.credentials;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * How long one AWS call may take within an invocation: its configured budget, cut to the time the invocation
 * has left minus a reserve for writing the answer. So a slow dependency ends in the handler's own 503 with
 * Retry-After, never in a Lambda timeout (which API Gateway turns into a bare 5xx the page cannot tell apart).
 */
record CallBudget(Duration total, Duration perAttempt) {

    /** Time kept back for mapping the failure, writing the answer and the log line. */
    static final Duration ANSWER_RESERVE = Duration.ofMillis(500);
    /** Less than this left for a call is not worth trying: the caller gets the 503 at once. */
    static final Duration MIN_CALL = Duration.ofMillis(100);

    /**
     * The budget for a call that may make {@code attempts} attempts.
     *
     * @param context the invocation, or null when there is none (tests, priming): then only {@code configured}
     * @return empty when too little time is left to call at all
     */
    static Optional<CallBudget> of(Duration configured, int attempts, Context context) {
        Duration total = configured;
        if (context != null) {
            Duration left = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(ANSWER_RESERVE);
            if (left.compareTo(total) < 0) {
                total = left;
            }
        }
        if (total.compareTo(MIN_CALL) < 0) {
            return Optional.empty();
        }
        // One stuck attempt must leave time for the retry, or the retry can never happen.
        return Optional.of(new CallBudget(total, total.dividedBy(attempts)));
    }
}
