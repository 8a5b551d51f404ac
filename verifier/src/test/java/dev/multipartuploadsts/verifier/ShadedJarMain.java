package dev.multipartuploadsts.verifier;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Runs one SQS batch through the handler exactly as Lambda would (no-argument constructor, settings and endpoints
 * from the environment), for {@link ShadedJarIT}, which starts it in a JVM whose class path is only the deployment
 * jar and this class. Batch on stdin, answer to the file named by the argument.
 */
public final class ShadedJarMain {

    private ShadedJarMain() {
    }

    public static void main(String[] args) throws IOException {
        try (OutputStream answer = new FileOutputStream(args[0])) {
            new VerifierHandler().handleRequest(System.in, answer, null);
        }
    }
}
