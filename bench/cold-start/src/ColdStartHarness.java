import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.multipartuploadsts.credentials.CredentialsHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The measured JVM. Builds the handler exactly as Lambda does (no-argument constructor: settings from
 * the environment, STS at AWS_ENDPOINT_URL_STS), answers one request, reports, then times warm requests.
 * Protocol lines go to the real stdout; the handler's own log lines go to /dev/null.
 *
 * <p>Arguments: {@code <warm requests>}, {@code --noop} to measure an empty JVM start, or {@code --null-handler}
 * to measure a null handler: one that reads the same event and answers a fixed 200, through the same
 * {@code RequestStreamHandler} interface, with no SDK.
 */
public final class ColdStartHarness {

    static final String START_EVENT = "{\"version\":\"2.0\",\"routeKey\":\"POST /uploads\",\"rawPath\":\"/uploads\","
            + "\"headers\":{\"authorization\":\"Bearer x.y.z\",\"content-type\":\"application/json\"},"
            + "\"requestContext\":{\"requestId\":\"bench\",\"authorizer\":{\"jwt\":{\"claims\":{"
            + "\"sub\":\"3f1e2b8a-9c4d-4e5f-8a7b-1c2d3e4f5a6b\",\"iss\":\"https://issuer.example\"}}}},"
            + "\"body\":\"{\\\"fileName\\\":\\\"My Holiday Video (final).mp4\\\",\\\"size\\\":7516192768,"
            + "\\\"contentType\\\":\\\"video/mp4\\\"}\",\"isBase64Encoded\":false}";

    private ColdStartHarness() {
    }

    public static void main(String[] args) throws IOException {
        long mainEntered = System.nanoTime();
        PrintStream protocol = System.out;
        if (args.length > 0 && args[0].equals("--noop")) {
            protocol.println("FIRST 0 0");
            protocol.flush();
            return;
        }
        if (args.length > 0 && args[0].equals("--null-handler")) {
            RequestStreamHandler nullHandler = (in, out, context) -> {
                in.transferTo(OutputStream.nullOutputStream());
                out.write("{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
            };
            long constructed = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            nullHandler.handleRequest(new ByteArrayInputStream(START_EVENT.getBytes(StandardCharsets.UTF_8)), out, null);
            protocol.println("FIRST " + (constructed - mainEntered) + " " + (System.nanoTime() - constructed));
            protocol.flush();
            return;
        }
        int warmRequests = Integer.parseInt(args[0]);
        System.setOut(new PrintStream(new FileOutputStream("/dev/null"), true, StandardCharsets.UTF_8));
        byte[] event = START_EVENT.getBytes(StandardCharsets.UTF_8);

        CredentialsHandler handler = new CredentialsHandler();
        long constructed = System.nanoTime();
        String first = invoke(handler, event);
        long answered = System.nanoTime();
        if (!first.startsWith("{\"statusCode\":200")) {
            throw new IllegalStateException("first request failed: " + first);
        }
        protocol.println("FIRST " + (constructed - mainEntered) + " " + (answered - constructed));
        protocol.flush();
        protocol.println("CLASSES " + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());

        protocol.println("WARM_LOOPBACK " + percentiles(time(handler, event, warmRequests)));
        protocol.println("WARM_LOCAL " + percentiles(WarmLocal.run(event, warmRequests)));
        protocol.flush();
    }

    /** Times {@code count} requests, each a fresh upload (the handler draws a new id every time). */
    static long[] time(CredentialsHandler handler, byte[] event, int count) throws IOException {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            String answer = invoke(handler, event);
            nanos[i] = System.nanoTime() - started;
            if (!answer.startsWith("{\"statusCode\":200")) {
                throw new IllegalStateException("request " + i + " failed: " + answer);
            }
        }
        return nanos;
    }

    static String invoke(CredentialsHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** "p50 p99" in nanoseconds, nearest rank. */
    static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return rank(sorted, 0.50) + " " + rank(sorted, 0.99);
    }

    private static long rank(long[] sorted, double p) {
        return sorted[(int) Math.ceil(p * sorted.length) - 1];
    }
}
