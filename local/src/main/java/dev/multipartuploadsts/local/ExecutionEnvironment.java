package dev.multipartuploadsts.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Lambda execution environment, run locally: one handler instance, built before the first event, that gets
 * one event at a time (Lambda never runs two in one environment at once), each with a context carrying the
 * template's function name, memory and timeout.
 */
final class ExecutionEnvironment {

    private final RequestStreamHandler handler;
    private final String functionName;
    private final int timeoutSeconds;
    private final int memorySize;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    ExecutionEnvironment(RequestStreamHandler handler, String functionName, int timeoutSeconds, int memorySize) {
        this.handler = handler;
        this.functionName = functionName;
        this.timeoutSeconds = timeoutSeconds;
        this.memorySize = memorySize;
    }

    /** Instantiates the handler named as in the template ({@code class::method}), as Lambda's Java runtime does. */
    static RequestStreamHandler loadHandler(String name) throws ReflectiveOperationException {
        String[] parts = name.split("::", 2);
        if (parts.length == 2 && !parts[1].equals("handleRequest")) {
            throw new IllegalArgumentException("handler method must be handleRequest, but " + parts[1] + " was given");
        }
        Object instance = Class.forName(parts[0]).getDeclaredConstructor().newInstance();
        if (!(instance instanceof RequestStreamHandler stream)) {
            throw new IllegalArgumentException(parts[0] + " must implement RequestStreamHandler");
        }
        return stream;
    }

    String functionName() {
        return functionName;
    }

    /**
     * Runs one event through the handler, waiting for any invocation still running, and returns what the handler
     * wrote; what it throws is the invocation's error, for the caller to report as Lambda would.
     */
    byte[] invoke(byte[] event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        oneAtATime.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            handler.handleRequest(new ByteArrayInputStream(event), output, new LocalContext(functionName, memorySize, deadline));
        } finally {
            oneAtATime.unlock();
        }
        return output.toByteArray();
    }
}
