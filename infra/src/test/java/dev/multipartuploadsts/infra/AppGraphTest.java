package dev.multipartuploadsts.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipartuploadsts.infra.config.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

class AppGraphTest {
    /** The stack order as {@code cdk deploy} reads it: from the synthesized cloud assembly's manifest. */
    private static Map<String, TreeSet<String>> dependencyGraph(UploadApp.Stacks stacks) {
        CloudAssembly assembly = ((App) stacks.hosting().getNode().getRoot()).synth();
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        for (CloudFormationStackArtifact stack : assembly.getStacks()) {
            TreeSet<String> upstream = new TreeSet<>();
            stack.getDependencies().stream()
                    .filter(CloudFormationStackArtifact.class::isInstance)
                    .forEach(dependency -> upstream.add(((CloudFormationStackArtifact) dependency).getStackName()));
            graph.put(stack.getStackName(), upstream);
        }
        return graph;
    }

    @Test
    void stacksDependOnlyDownstreamHostingStorageVerificationAuthApiWeb() {
        assertThat(dependencyGraph(TestApps.defaultStacks())).isEqualTo(Map.of(
                "MultipartUploadSts-Hosting", new TreeSet<>(),
                "MultipartUploadSts-Storage", new TreeSet<>(List.of("MultipartUploadSts-Hosting")),
                "MultipartUploadSts-Verification", new TreeSet<>(List.of("MultipartUploadSts-Storage")),
                "MultipartUploadSts-Auth", new TreeSet<>(List.of("MultipartUploadSts-Hosting")),
                // The Api stack's alarms also watch the verifier (alarms=CREATE, the default).
                "MultipartUploadSts-Api", new TreeSet<>(List.of("MultipartUploadSts-Hosting",
                        "MultipartUploadSts-Storage", "MultipartUploadSts-Verification", "MultipartUploadSts-Auth")),
                "MultipartUploadSts-Web", new TreeSet<>(List.of("MultipartUploadSts-Hosting",
                        "MultipartUploadSts-Storage", "MultipartUploadSts-Auth", "MultipartUploadSts-Api"))));
    }

    @Test
    void withoutAlarmsTheApiStackDoesNotReadTheVerificationStack() {
        assertThat(dependencyGraph(TestApps.stacks(Map.of("alarms", "NONE"))).get("MultipartUploadSts-Api"))
                .containsExactly("MultipartUploadSts-Auth", "MultipartUploadSts-Hosting", "MultipartUploadSts-Storage");
    }

    @Test
    void withAnExternalIssuerThereIsNoAuthStackAndTheOrderStillHolds() {
        Map<String, TreeSet<String>> graph = dependencyGraph(TestApps.stacks(Map.of(
                "oidcIssuer", "https://login.example.com", "oidcAudience", "uploads-api",
                "oidcApiScope", "uploads:write")));
        assertThat(graph).doesNotContainKey("MultipartUploadSts-Auth");
        assertThat(graph.get("MultipartUploadSts-Api"))
                .containsExactly("MultipartUploadSts-Hosting", "MultipartUploadSts-Storage", "MultipartUploadSts-Verification");
    }

    @Test
    void theWholeAppSynthesizesOneTemplatePerStackAndTheSameInputGivesTheSameBytes(@TempDir Path out1,
            @TempDir Path out2) throws IOException {
        Map<String, String> first = synthesizeTemplates(out1);
        Map<String, String> second = synthesizeTemplates(out2);
        assertThat(first.keySet()).containsExactly("MultipartUploadSts-Api.template.json",
                "MultipartUploadSts-Auth.template.json", "MultipartUploadSts-Hosting.template.json",
                "MultipartUploadSts-Storage.template.json", "MultipartUploadSts-Verification.template.json",
                "MultipartUploadSts-Web.template.json");
        assertThat(second).isEqualTo(first);
    }

    private static Map<String, String> synthesizeTemplates(Path outdir) throws IOException {
        App app = App.Builder.create().context(TestApps.cdkJsonContext()).outdir(outdir.toString()).build();
        UploadApp.build(app, TestApps.PATHS);
        CloudAssembly assembly = app.synth();
        Map<String, String> templates = new TreeMap<>();
        try (var files = Files.list(Path.of(assembly.getDirectory()))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".template.json")).toList()) {
                templates.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return templates;
    }

    @Test
    void refusesToSynthesizeWithoutTheLambdaJarAndSaysHowToBuildIt(@TempDir Path emptyRoot) {
        assertThatThrownBy(() -> UploadApp.build(TestApps.app(Map.of()), ProjectPaths.at(emptyRoot)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lambda/target/credentials-lambda.jar is missing")
                .hasMessageContaining("mvn -B -pl lambda package");
    }

    @Test
    void refusesToSynthesizeWithoutTheVerifierJarAndSaysHowToBuildIt(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("lambda/target"));
        Files.copy(TestApps.PATHS.lambdaJar(), root.resolve(ProjectPaths.LAMBDA_JAR));
        assertThatThrownBy(() -> UploadApp.build(TestApps.app(Map.of()), ProjectPaths.at(root)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("verifier/target/verifier-lambda.jar is missing")
                .hasMessageContaining("mvn -B -pl verifier -am package");
    }

    @Test
    void refusesToSynthesizeWithoutTheBuiltPageAndSaysHowToBuildIt(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("lambda/target"));
        Files.copy(TestApps.PATHS.lambdaJar(), root.resolve(ProjectPaths.LAMBDA_JAR));
        Files.createDirectories(root.resolve("verifier/target"));
        Files.copy(TestApps.PATHS.verifierJar(), root.resolve(ProjectPaths.VERIFIER_JAR));
        assertThatThrownBy(() -> UploadApp.build(TestApps.app(Map.of()), ProjectPaths.at(root)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("web/dist/index.html is missing")
                .hasMessageContaining("npm run build");
    }

    @Test
    void badContextStopsSynthesisBeforeAnyStackIsCreated() {
        App app = TestApps.app(Map.of("credentialDurationSeconds", 7200));
        assertThatThrownBy(() -> UploadApp.build(app, TestApps.PATHS))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("credentialDurationSeconds must be a whole number from 900 to 3600, but 7200 was given");
        assertThat(app.getNode().getChildren()).isEmpty();
    }
}
