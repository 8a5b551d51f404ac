package dev.multipartuploadsts.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * Builds the app the way {@code cdk synth} does: with the context of {@code cdk.json} (feature flags and knobs),
 * so tests pin exactly the flags and defaults the CLI uses, plus per-test overrides.
 */
public final class TestApps {
    public static final ProjectPaths PATHS = ProjectPaths.locate();

    private static final Map<Stack, Template> TEMPLATES = new HashMap<>();
    private static UploadApp.Stacks defaultStacks;

    private TestApps() { }

    /** The {@code context} object of {@code cdk.json}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(PATHS.cdkJson().toFile(), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh app with cdk.json's context overlaid by {@code overrides}. */
    public static App app(Map<String, Object> overrides) {
        Map<String, Object> context = new LinkedHashMap<>(cdkJsonContext());
        context.putAll(overrides);
        return App.Builder.create().context(context).build();
    }

    /** The whole app with cdk.json's context overlaid by {@code overrides}. */
    public static UploadApp.Stacks stacks(Map<String, Object> overrides) {
        return UploadApp.build(app(overrides), PATHS);
    }

    /** The whole app exactly as cdk.json configures it, built once per test JVM (synthesis takes seconds). */
    public static synchronized UploadApp.Stacks defaultStacks() {
        if (defaultStacks == null) {
            defaultStacks = stacks(Map.of());
        }
        return defaultStacks;
    }

    /** The synthesized template of {@code stack}, cached: every {@code fromStack} call would synthesize again. */
    public static synchronized Template template(Stack stack) {
        return TEMPLATES.computeIfAbsent(stack, Template::fromStack);
    }

    /**
     * The ResponseHeadersPolicyConfig that the hosting stack's distribution applies to {@code pathPattern}, or to
     * its default behavior (the page) when {@code pathPattern} is null; fails when no behavior has that pattern.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> responseHeadersFor(Template hosting, String pathPattern) {
        Map<String, Map<String, Object>> distributions = hosting.findResources("AWS::CloudFront::Distribution");
        if (distributions.size() != 1) {
            throw new IllegalStateException("expected one distribution, found " + distributions.keySet());
        }
        Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) distributions.values().iterator()
                .next().get("Properties")).get("DistributionConfig");
        Map<String, Object> behavior = pathPattern == null
                ? (Map<String, Object>) config.get("DefaultCacheBehavior")
                : ((List<Map<String, Object>>) config.getOrDefault("CacheBehaviors", List.of())).stream()
                        .filter(b -> pathPattern.equals(b.get("PathPattern")))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no cache behavior for " + pathPattern));
        String policyId = (String) ((Map<String, Object>) behavior.get("ResponseHeadersPolicyId")).get("Ref");
        Map<String, Object> policy = hosting.findResources("AWS::CloudFront::ResponseHeadersPolicy").get(policyId);
        return (Map<String, Object>) ((Map<String, Object>) policy.get("Properties")).get("ResponseHeadersPolicyConfig");
    }
}
