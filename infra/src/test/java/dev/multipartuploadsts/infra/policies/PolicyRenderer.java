package dev.multipartuploadsts.infra.policies;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import dev.multipartuploadsts.infra.TestApps;
import software.constructs.IConstruct;

/**
 * Extracts every IAM and resource policy from the app's templates and renders each as a key-sorted, pretty-printed
 * JSON file a reviewer can read: CloudFormation references become {@code ${Stack/Construct/Path.Attribute}} and
 * pseudo parameters {@code ${AWS::Partition}}, instead of hashed logical ids.
 *
 * <p>Files: {@code <Stack>/<path>.trust.json} (a role's trust policy), {@code <Stack>/<path>.permissions.json}
 * (everything attached to a role: inline policies, AWS::IAM::Policy resources, managed policy ARNs),
 * {@code <Stack>/<path>.bucket-policy.json}, {@code <Stack>/<path>.queue-policy.json} (who may send to an SQS
 * queue), {@code <Stack>/<path>.topic-policy.json} (who may publish to an SNS topic),
 * {@code <Stack>/<path>.key-policy.json} and
 * {@code <Stack>/<path>.invoke-permissions.json} (who may invoke a Lambda function).
 */
public final class PolicyRenderer {
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private final String stackPrefix;
    private final Map<String, Map<String, Object>> templates = new TreeMap<>();
    private final Map<String, String> readableByStackAndLogicalId = new HashMap<>();

    private PolicyRenderer(String stackPrefix, List<Stack> stacks) {
        this.stackPrefix = stackPrefix;
        for (Stack stack : stacks) {
            String name = shortName(stack);
            templates.put(name, castMap(TestApps.template(stack).toJSON()));
            for (IConstruct construct : stack.getNode().findAll()) {
                if (construct instanceof CfnElement element) {
                    String logicalId = (String) stack.resolve(stack.getLogicalId(element));
                    readableByStackAndLogicalId.put(name + "|" + logicalId, name + "/" + relativePath(stack, construct));
                }
            }
        }
    }

    /** Renders every policy of {@code stacks}; keys are file paths relative to {@code policies/}. */
    public static Map<String, String> render(String stackPrefix, List<Stack> stacks) {
        return new PolicyRenderer(stackPrefix, stacks).renderAll();
    }

    private Map<String, String> renderAll() {
        Map<String, Map<String, Object>> documents = new TreeMap<>();
        templates.forEach((stack, template) -> {
            Map<String, Object> resources = castMap(template.getOrDefault("Resources", Map.of()));
            resources.forEach((logicalId, value) -> {
                Map<String, Object> resource = castMap(value);
                Map<String, Object> props = castMap(resource.getOrDefault("Properties", Map.of()));
                String name = readable(stack, logicalId);
                switch ((String) resource.get("Type")) {
                    case "AWS::IAM::Role" -> {
                        documents.put(name + ".trust.json", castMap(render(stack, props.get("AssumeRolePolicyDocument"))));
                        Map<String, Object> permissions = documents.computeIfAbsent(name + ".permissions.json",
                                k -> new TreeMap<>());
                        if (props.containsKey("ManagedPolicyArns")) {
                            permissions.put("ManagedPolicyArns", render(stack, props.get("ManagedPolicyArns")));
                        }
                        for (Object inline : castList(props.getOrDefault("Policies", List.of()))) {
                            Map<String, Object> policy = castMap(inline);
                            inlinePolicies(permissions).put("inline:" + policy.get("PolicyName"),
                                    render(stack, policy.get("PolicyDocument")));
                        }
                    }
                    case "AWS::IAM::Policy" -> {
                        for (Object role : castList(props.getOrDefault("Roles", List.of()))) {
                            String roleName = ((String) render(stack, role)).replaceAll("^\\$\\{|}$", "");
                            Map<String, Object> permissions = documents.computeIfAbsent(
                                    roleName + ".permissions.json", k -> new TreeMap<>());
                            inlinePolicies(permissions).put(name, render(stack, props.get("PolicyDocument")));
                        }
                    }
                    case "AWS::S3::BucketPolicy" -> documents.put(
                            ((String) render(stack, props.get("Bucket"))).replaceAll("^\\$\\{|}$", "")
                                    + ".bucket-policy.json",
                            castMap(render(stack, props.get("PolicyDocument"))));
                    case "AWS::SQS::QueuePolicy" -> perTarget(documents, stack, props, "Queues", ".queue-policy.json");
                    case "AWS::KMS::Key" -> documents.put(name + ".key-policy.json",
                            castMap(render(stack, props.get("KeyPolicy"))));
                    case "AWS::SNS::TopicPolicy" -> perTarget(documents, stack, props, "Topics", ".topic-policy.json");
                    case "AWS::Lambda::Permission" -> {
                        String function = ((String) render(stack, props.get("FunctionName")))
                                .replaceAll("^\\$\\{|}$", "").replaceAll("\\.Arn$", "");
                        Map<String, Object> permissions = documents.computeIfAbsent(
                                function + ".invoke-permissions.json", k -> new TreeMap<>());
                        Map<String, Object> rendered = castMap(render(stack, props));
                        rendered.remove("FunctionName");
                        permissions.put(name, rendered);
                    }
                    default -> { }
                }
            });
        });
        Map<String, String> files = new TreeMap<>();
        documents.forEach((path, document) -> files.put(fileName(path), write(sortKeys(document))));
        return files;
    }

    /** A policy resource that applies one document to a list of targets (queues, topics): one file per target. */
    private void perTarget(Map<String, Map<String, Object>> documents, String stack, Map<String, Object> props,
            String targetsProperty, String suffix) {
        for (Object target : castList(props.getOrDefault(targetsProperty, List.of()))) {
            documents.put(((String) render(stack, target)).replaceAll("^\\$\\{|}$", "") + suffix,
                    castMap(render(stack, props.get("PolicyDocument"))));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inlinePolicies(Map<String, Object> permissions) {
        return (Map<String, Object>) permissions.computeIfAbsent("Policies", k -> new TreeMap<String, Object>());
    }

    /** Replaces CloudFormation intrinsics with readable strings, recursively. */
    private Object render(String stack, Object value) {
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(render(stack, item)));
            return out;
        }
        if (!(value instanceof Map<?, ?>)) {
            return value;
        }
        Map<String, Object> map = castMap(value);
        if (map.size() == 1) {
            Map.Entry<String, Object> only = map.entrySet().iterator().next();
            Object arg = only.getValue();
            switch (only.getKey()) {
                case "Ref" -> {
                    String ref = (String) arg;
                    return ref.startsWith("AWS::") ? "${" + ref + "}" : "${" + readable(stack, ref) + "}";
                }
                case "Fn::GetAtt" -> {
                    List<Object> parts = castList(arg);
                    return "${" + readable(stack, (String) parts.get(0)) + "." + parts.get(1) + "}";
                }
                case "Fn::Join" -> {
                    List<Object> parts = castList(arg);
                    List<Object> rendered = castList(render(stack, parts.get(1)));
                    if (rendered.stream().allMatch(p -> p instanceof String)) {
                        return String.join((String) parts.get(0), rendered.stream().map(String.class::cast).toList());
                    }
                    return Map.of("Fn::Join", List.of(parts.get(0), rendered));
                }
                case "Fn::GetStackOutput" -> {
                    Map<String, Object> ref = castMap(arg);
                    String producer = shortName((String) ref.get("StackName"));
                    return render(producer, outputValue(producer, (String) ref.get("OutputName")));
                }
                case "Fn::ImportValue" -> {
                    return renderImport((String) arg);
                }
                default -> { }
            }
        }
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, render(stack, v)));
        return out;
    }

    private Object outputValue(String stack, String outputName) {
        Map<String, Object> outputs = castMap(templates.get(stack).getOrDefault("Outputs", Map.of()));
        Map<String, Object> output = castMap(outputs.get(outputName));
        if (output == null) {
            throw new IllegalStateException("stack " + stack + " has no output " + outputName);
        }
        return output.get("Value");
    }

    private Object renderImport(String exportName) {
        for (Map.Entry<String, Map<String, Object>> entry : templates.entrySet()) {
            Map<String, Object> outputs = castMap(entry.getValue().getOrDefault("Outputs", Map.of()));
            for (Object o : outputs.values()) {
                Map<String, Object> output = castMap(o);
                Map<String, Object> export = castMap(output.get("Export"));
                if (export != null && exportName.equals(export.get("Name"))) {
                    return render(entry.getKey(), output.get("Value"));
                }
            }
        }
        return "${Import:" + exportName + "}";
    }

    private String readable(String stack, String logicalId) {
        return readableByStackAndLogicalId.getOrDefault(stack + "|" + logicalId, stack + "/" + logicalId);
    }

    private String shortName(Stack stack) {
        return shortName(stack.getStackName());
    }

    private String shortName(String stackName) {
        return stackName.startsWith(stackPrefix + "-") ? stackName.substring(stackPrefix.length() + 1) : stackName;
    }

    private static String relativePath(Stack stack, IConstruct construct) {
        String path = construct.getNode().getPath().substring(stack.getNode().getPath().length() + 1);
        return path.endsWith("/Resource") ? path.substring(0, path.length() - "/Resource".length()) : path;
    }

    /** {@code Api/Credentials/UploadRole.trust.json} → {@code Api/Credentials.UploadRole.trust.json}, file-safe. */
    private static String fileName(String path) {
        int slash = path.indexOf('/');
        String stack = path.substring(0, slash);
        String rest = path.substring(slash + 1).replace('/', '.').replaceAll("[^A-Za-z0-9._-]", "_");
        return stack + "/" + rest;
    }

    private static Object sortKeys(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put((String) k, sortKeys(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PolicyRenderer::sortKeys).toList();
        }
        return value;
    }

    private static String write(Object document) {
        try {
            return WRITER.writeValueAsString(document) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object value) {
        return value instanceof List<?> ? (List<Object>) value : List.of(value);
    }
}
