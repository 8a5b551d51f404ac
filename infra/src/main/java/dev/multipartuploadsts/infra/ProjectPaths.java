package dev.multipartuploadsts.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build outputs the app deploys live. The app refuses to synthesize without them: a template
 * that silently points at a stale or missing jar or page is worse than no template.
 */
public final class ProjectPaths {
    /** The credentials Lambda's deployment jar, as {@code mvn package} in {@code lambda/} writes it. */
    public static final String LAMBDA_JAR = "lambda/target/credentials-lambda.jar";
    /** The verifier Lambda's deployment jar, as {@code mvn package} in {@code verifier/} writes it. */
    public static final String VERIFIER_JAR = "verifier/target/verifier-lambda.jar";
    /** The built web page, as {@code npm run build} in {@code web/} writes it. */
    public static final String WEB_DIST = "web/dist";

    private final Path root;

    private ProjectPaths(Path root) {
        this.root = root;
    }

    /** Finds the repository root: the nearest folder at or above the working directory holding {@code cdk.json}. */
    public static ProjectPaths locate() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cdk.json")) && Files.isDirectory(dir.resolve("infra"))) {
                return new ProjectPaths(dir);
            }
        }
        throw new IllegalStateException("cannot find the repository root (a folder with cdk.json and infra/) at or "
                + "above " + start + "; run the app from the repository");
    }

    /** Paths under an explicit root, for tools and tests that do not run from the repository. */
    public static ProjectPaths at(Path root) {
        return new ProjectPaths(root.toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    public Path cdkJson() {
        return root.resolve("cdk.json");
    }

    /** The Lambda jar; fails with the command that builds it when it is missing. */
    public Path lambdaJar() {
        Path jar = root.resolve(LAMBDA_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the credentials Lambda jar " + LAMBDA_JAR + " is missing; build it first "
                    + "with: mvn -B -pl lambda package -DskipTests (or run ./bin/synth, which builds everything)");
        }
        return jar;
    }

    /** The verifier jar; fails with the command that builds it when it is missing. */
    public Path verifierJar() {
        Path jar = root.resolve(VERIFIER_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the verifier Lambda jar " + VERIFIER_JAR + " is missing; build it first "
                    + "with: mvn -B -pl verifier -am package -DskipTests (or run ./bin/synth, which builds everything)");
        }
        return jar;
    }

    /** The built page; fails with the command that builds it when {@code index.html} is missing. */
    public Path webDist() {
        Path dist = root.resolve(WEB_DIST);
        if (!Files.isRegularFile(dist.resolve("index.html"))) {
            throw new IllegalStateException("the built web page " + WEB_DIST + "/index.html is missing; build it first "
                    + "with: (cd web && npm ci && npm run build) (or run ./bin/synth, which builds everything)");
        }
        return dist;
    }
}
