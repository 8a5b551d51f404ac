package dev.multipartuploadsts.common;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Runs one event through a handler exactly as Lambda would (its no-argument constructor; settings and endpoints
 * from the environment), in the JVM {@link ShadedJar} starts, whose class path is only the deployment jar and this
 * class. Usage: {@code ShadedJarMain HANDLER_CLASS ANSWER_FILE}, the event on stdin.
 */
public final class ShadedJarMain {

    private ShadedJarMain() {
    }

    public static void main(String[] args) throws Throwable {
        RequestStreamHandler handler;
        try {
            handler = (RequestStreamHandler) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            // What the constructor threw (a misconfigured variable), as a plain `new` would have thrown it.
            throw e.getCause();
        }
        try (OutputStream answer = new FileOutputStream(args[1])) {
            handler.handleRequest(System.in, answer, null);
        }
    }
}
