import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs the cold-start benchmark: serves AssumeRole on a loopback port (in this JVM, never in the measured
 * one), starts a fresh JVM per run with the deployment jar and {@link ColdStartHarness}, and times from
 * just before the process is spawned to the moment it reports its first answer. Prints a table and one
 * summary line of name=value pairs.
 */
public final class BenchDriver {

    private static final byte[] ASSUME_ROLE_ANSWER = ("<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/upload/s</Arn>"
            + "<AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser><Credentials>"
            + "<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>"
            + "<SessionToken>token</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
            + "<PackedPolicySize>7</PackedPolicySize></AssumeRoleResult>"
            + "<ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></AssumeRoleResponse>")
            .getBytes(StandardCharsets.UTF_8);

    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);

    private BenchDriver() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path jar = Paths.get(options.get("jar"));
        String harness = options.get("harness");
        String java = options.getOrDefault("java", "java");
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        int requests = Integer.parseInt(options.getOrDefault("requests", "2000"));
        List<String> jvmOptions = words(options.getOrDefault("jvm-options",
                "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
        String initializationType = options.getOrDefault("initialization-type", "on-demand");

        // Without TCP_NODELAY, delayed ACKs add ~40 ms to every loopback round trip.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer sts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sts.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            // The same stub stands in for the ledger's DynamoDB: its JSON calls name their operation in
            // X-Amz-Target, and an empty object is a successful TransactWriteItems (the start route's one call).
            boolean dynamoDb = exchange.getRequestHeaders().containsKey("X-Amz-Target");
            byte[] answer = dynamoDb ? EMPTY_JSON : ASSUME_ROLE_ANSWER;
            exchange.getResponseHeaders().set("Content-Type", dynamoDb ? "application/x-amz-json-1.0" : "text/xml");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        ExecutorService stubThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "sts-stub");
            thread.setDaemon(true);
            return thread;
        });
        sts.setExecutor(stubThread);
        sts.start();
        try {
            run(sts, options, jar, harness, java, runs, requests, jvmOptions, initializationType);
        } finally {
            sts.stop(0);
            stubThread.shutdownNow();
        }
    }

    private static void run(HttpServer sts, Map<String, String> options, Path jar, String harness, String java,
            int runs, int requests, List<String> jvmOptions, String initializationType)
            throws IOException, InterruptedException {
        String endpoint = "http://127.0.0.1:" + sts.getAddress().getPort();
        warmUp(endpoint);

        String javaVersion = javaVersion(java);
        if (Boolean.parseBoolean(options.getOrDefault("cds", "false"))) {
            jvmOptions = new ArrayList<>(jvmOptions);
            jvmOptions.add(train(java, jvmOptions, jar, harness, endpoint, initializationType, javaVersion));
        }

        System.out.printf(Locale.ROOT, "jar          %s (%,d bytes)%n", jar, Files.size(jar));
        System.out.printf(Locale.ROOT, "java         %s %s%n", java, javaVersion);
        System.out.printf(Locale.ROOT, "jvm options  %s%n", String.join(" ", jvmOptions));
        System.out.printf(Locale.ROOT, "sts stub     %s (separate JVM from the measured one)%n", endpoint);
        System.out.printf(Locale.ROOT, "init type    AWS_LAMBDA_INITIALIZATION_TYPE=%s%n", initializationType);
        System.out.printf(Locale.ROOT, "runs %d, warm requests per run %d%n%n", runs, requests);
        System.out.printf(Locale.ROOT, "%-7s %9s %8s %9s %9s %8s %9s %9s %10s %10s %9s%n", "run", "jvm_boot", "init",
                "first_req", "cold", "classes", "warm_p50", "warm_p99", "loop_p50", "loop_p99", "null");

        List<double[]> rows = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            double boot = spawn(java, jvmOptions, jar, harness, endpoint, initializationType, "--noop").coldMs;
            double nullHandler = spawn(java, jvmOptions, jar, harness, endpoint, initializationType, "--null-handler")
                    .coldMs;
            Result r = spawn(java, jvmOptions, jar, harness, endpoint, initializationType, Integer.toString(requests));
            double[] row = {boot, r.initMs, r.firstMs, r.coldMs, r.classes, r.localP50, r.localP99, r.loopP50,
                r.loopP99, nullHandler};
            rows.add(row);
            print(Integer.toString(run), row);
        }
        double[] median = new double[rows.get(0).length];
        for (int c = 0; c < median.length; c++) {
            double[] column = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                column[r] = rows.get(r)[c];
            }
            Arrays.sort(column);
            median[c] = column.length % 2 == 1 ? column[column.length / 2]
                    : (column[column.length / 2 - 1] + column[column.length / 2]) / 2;
        }
        print("median", median);
        System.out.println();
        System.out.println("times in ms; cold = spawn to first answer (jvm_boot = spawn to main of an empty run;"
                + " init = handler constructed; first_req = first answer incl. loopback STS);"
                + " warm = handler without the network round trips; loop = handler with the loopback STS and"
                + " DynamoDB round trips; classes = classes loaded at the first answer; null = spawn to the first"
                + " answer of a null handler, same JVM flags and event)");
        System.out.printf(Locale.ROOT, "cold_start_ms=%.1f warm_p50_ms=%.3f warm_p99_ms=%.3f warm_loopback_p50_ms=%.3f"
                        + " warm_loopback_p99_ms=%.3f jvm_boot_ms=%.1f init_ms=%.1f first_request_ms=%.1f"
                        + " null_handler_ms=%.1f cold_vs_null=%.2f jar_bytes=%d runs=%d requests=%d java=%s%n",
                median[3], median[5], median[6], median[7], median[8], median[0], median[1], median[2], median[9],
                median[3] / median[9], Files.size(jar), runs, requests, javaVersion);
    }

    /**
     * One untimed run that writes a class archive for the timed runs: an AOT cache on JDK 25 and later
     * (JEP 483/514), a dynamic AppCDS archive before. Returns the option that makes a JVM use it.
     */
    private static String train(String java, List<String> jvmOptions, Path jar, String harness, String endpoint,
            String initializationType, String javaVersion) throws IOException, InterruptedException {
        boolean aot = Integer.parseInt(javaVersion.split("[.+-]")[0]) >= 25;
        Path file = Paths.get(harness).toAbsolutePath().resolveSibling("app-" + javaVersion + (aot ? ".aot" : ".jsa"));
        Files.deleteIfExists(file);
        List<String> training = new ArrayList<>(jvmOptions);
        training.add((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + file);
        spawn(java, training, jar, harness, endpoint, initializationType, "100");
        if (!Files.exists(file)) {
            throw new IllegalStateException("the training run wrote no archive at " + file);
        }
        return (aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + file;
    }

    /**
     * Exercises the stub until this JVM has compiled its request path, then lets the compiler threads go
     * quiet, so that neither a cold stub nor this JVM's JIT work is charged to the measured JVM.
     */
    private static void warmUp(String endpoint) throws IOException, InterruptedException {
        for (int i = 0; i < 2000; i++) {
            HttpURLConnection connection = (HttpURLConnection) new URL(endpoint).openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            try (OutputStream out = connection.getOutputStream()) {
                out.write("Action=AssumeRole".getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream in = connection.getInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        Thread.sleep(2000);
    }

    private static void print(String label, double[] row) {
        System.out.printf(Locale.ROOT, "%-7s %9.1f %8.1f %9.1f %9.1f %8.0f %9.3f %9.3f %10.3f %10.3f %9.1f%n", label,
                row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9]);
    }

    /** One fresh JVM; the clock starts just before the process is created. */
    private static Result spawn(String java, List<String> jvmOptions, Path jar, String harness,
            String endpoint, String initializationType, String argument) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(jar.toAbsolutePath() + File.pathSeparator + harness);
        command.add("ColdStartHarness");
        command.add(argument);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("UPLOAD_ROLE_ARN", "arn:aws:iam::123456789012:role/upload-role");
        env.put("UPLOAD_BUCKET_NAME", "bench-uploads");
        env.put("CREDENTIAL_DURATION_SECONDS", "900");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDBENCH");
        env.put("AWS_SECRET_ACCESS_KEY", "bench-secret");
        env.put("AWS_SESSION_TOKEN", "bench-token");
        env.put("AWS_ENDPOINT_URL_STS", endpoint);
        env.put("LEDGER_TABLE", "bench-ledger");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType);

        Result result = new Result();
        long started = System.nanoTime();
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "FIRST":
                        result.coldMs = (System.nanoTime() - started) / 1e6;
                        result.initMs = Long.parseLong(f[1]) / 1e6;
                        result.firstMs = Long.parseLong(f[2]) / 1e6;
                        break;
                    case "CLASSES":
                        result.classes = Long.parseLong(f[1]);
                        break;
                    case "WARM_LOOPBACK":
                        result.loopP50 = Long.parseLong(f[1]) / 1e6;
                        result.loopP99 = Long.parseLong(f[2]) / 1e6;
                        break;
                    case "WARM_LOCAL":
                        result.localP50 = Long.parseLong(f[1]) / 1e6;
                        result.localP99 = Long.parseLong(f[2]) / 1e6;
                        break;
                    default:
                        // The JVM's own messages (CDS and AOT logging go to stdout): pass them on.
                        System.err.println("harness: " + line);
                }
            }
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the harness did not finish within 5 minutes");
        }
        if (process.exitValue() != 0 || result.coldMs == 0) {
            throw new IllegalStateException("the harness failed (exit " + process.exitValue() + "); see above");
        }
        return result;
    }

    private static String javaVersion(String java) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        int quote = text.indexOf('"');
        return quote < 0 ? "unknown" : text.substring(quote + 1, text.indexOf('"', quote + 1));
    }

    private static List<String> words(String text) {
        return Arrays.asList(text.trim().split("\\s+"));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, but got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static final class Result {
        double coldMs;
        double initMs;
        double firstMs;
        double classes;
        double loopP50;
        double loopP99;
        double localP50;
        double localP99;
    }
}
