package dev.multipartuploadsts.infra.policies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipartuploadsts.infra.TestApps;
import dev.multipartuploadsts.infra.UploadApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins every IAM and resource policy the app synthesizes to the reviewed files in {@code policies/}. Any change to
 * a permission fails here with a diff until it is accepted on purpose with {@code ./bin/test --accept-policies}
 * (or {@code mvn -pl infra test -Dpolicies.update=true}), which rewrites the files for review in the pull request.
 */
class PolicySnapshotTest {
    private static final boolean UPDATE = Boolean.getBoolean("policies.update");
    private static final Path POLICIES = TestApps.PATHS.root().resolve("policies");

    @Test
    void everySynthesizedPolicyMatchesItsReviewedSnapshot() throws IOException {
        compareOrUpdate(POLICIES, render(Map.of()));
    }

    /** A variant's folder holds only the files that differ from the default app's, so its diff is the point. */
    @Test
    void kmsEncryptedVariantPoliciesMatchTheirReviewedSnapshots() throws IOException {
        Map<String, String> defaults = render(Map.of());
        Map<String, String> variant = new TreeMap<>(render(Map.of("uploadBucketEncryption", "KMS")));
        variant.entrySet().removeIf(file -> file.getValue().equals(defaults.get(file.getKey())));
        compareOrUpdate(POLICIES.resolve("variants/kms-encryption"), variant);
    }

    private static Map<String, String> render(Map<String, Object> overrides) {
        UploadApp.Stacks stacks = overrides.isEmpty() ? TestApps.defaultStacks() : TestApps.stacks(overrides);
        return PolicyRenderer.render((String) TestApps.cdkJsonContext().get("stackPrefix"), stacks.all());
    }

    private static void compareOrUpdate(Path dir, Map<String, String> rendered) throws IOException {
        Map<String, String> onDisk = readTree(dir);
        if (UPDATE) {
            for (String stale : onDisk.keySet()) {
                if (!rendered.containsKey(stale)) {
                    Files.delete(dir.resolve(stale));
                }
            }
            for (Map.Entry<String, String> file : rendered.entrySet()) {
                Path path = dir.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
            return;
        }
        StringBuilder report = new StringBuilder();
        for (String name : rendered.keySet()) {
            if (!onDisk.containsKey(name)) {
                report.append("\n+++ new policy file ").append(name).append('\n').append(rendered.get(name));
            } else if (!onDisk.get(name).equals(rendered.get(name))) {
                report.append("\n~~~ changed ").append(name).append('\n')
                        .append(LineDiff.unified(onDisk.get(name), rendered.get(name)));
            }
        }
        for (String name : onDisk.keySet()) {
            if (!rendered.containsKey(name)) {
                report.append("\n--- policy file no longer synthesized ").append(name).append('\n');
            }
        }
        assertThat(report.toString())
                .as("The synthesized IAM policies differ from the reviewed snapshots in %s.%nIf the change is "
                        + "intended, accept it with ./bin/test --accept-policies (or mvn -pl infra test "
                        + "-Dpolicies.update=true) and review git diff policies/.%n", TestApps.PATHS.root().relativize(dir))
                .isEmpty();
    }

    private static Map<String, String> readTree(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json")).toList()) {
                String relative = dir.relativize(path).toString().replace('\\', '/');
                if (!relative.startsWith("variants/")) {
                    files.put(relative, Files.readString(path, StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }
}
