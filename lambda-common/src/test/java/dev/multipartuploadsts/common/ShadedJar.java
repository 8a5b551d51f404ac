package dev.multipartuploadsts.common;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A Lambda's deployment jar as {@code mvn package} left it, for its ShadedJarIT: what it holds, and a run of it. */
public final class ShadedJar {

    /** What Lambda sets for every function: the region and the execution role's session. */
    public static final Map<String, String> RUNTIME_ENVIRONMENT = Map.of(
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT",
            "AWS_SECRET_ACCESS_KEY", "secret-from-environment",
            "AWS_SESSION_TOKEN", "execution-role-session-token");

    /** A fresh JVM's first AWS calls load the SDK's classes, which on a loaded 2-core machine can take a while. */
    private static final long RUN_TIMEOUT_SECONDS = 120;

    private final Path jar;

    public ShadedJar(Path jar) {
        this.jar = jar;
    }

    public Path path() {
        return jar;
    }

    /** The name of every entry in the jar. */
    public List<String> entryNames() throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> names = new ArrayList<>();
            for (ZipEntry entry : Collections.list(zip.entries())) {
                names.add(entry.getName());
            }
            return names;
        }
    }

    /**
     * Runs one event through {@code handlerClass} in a JVM whose class path is the jar and {@link ShadedJarMain}
     * alone, with {@link #RUNTIME_ENVIRONMENT} plus {@code environment} and nothing of this JVM's, and a home in
     * {@code workDir}, so that no {@code ~/.aws/config} of the machine running the build can change the outcome.
     */
    public Run run(String handlerClass, String event, Map<String, String> environment, Path workDir)
            throws IOException, InterruptedException {
        Path answer = workDir.resolve("answer.json");
        Path stdout = workDir.resolve("stdout.txt");
        Path stderr = workDir.resolve("stderr.txt");
        Path eventFile = workDir.resolve("event.json");
        Files.deleteIfExists(answer);
        Files.writeString(eventFile, event);
        ProcessBuilder builder = new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + workDir.toAbsolutePath(),
                "-cp", jar.toAbsolutePath() + File.pathSeparator + mainLocation(),
                ShadedJarMain.class.getName(), handlerClass, answer.toString())
                .redirectInput(eventFile.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(RUNTIME_ENVIRONMENT);
        env.putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the jar did not finish within " + RUN_TIMEOUT_SECONDS + " s");
        }
        return new Run(process.exitValue(), Files.exists(answer) ? Files.readString(answer, StandardCharsets.UTF_8) : "",
                Files.readString(stdout), Files.readString(stderr));
    }

    /** The class folder or test jar that holds {@link ShadedJarMain}. */
    private static String mainLocation() {
        try {
            return Paths.get(ShadedJarMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What one run left behind.
     *
     * @param exitCode the JVM's exit code
     * @param answer   what the handler wrote, or empty if it wrote nothing
     * @param stdout   the handler's log lines
     * @param stderr   anything else the JVM printed
     */
    public record Run(int exitCode, String answer, String stdout, String stderr) {
    }
}
