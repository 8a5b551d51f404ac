package dev.multipartuploadsts.credentials;

import dev.multipartuploadsts.ledger.LedgerAttributes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * moto's DynamoDB, started once per test JVM from {@code src/test/python/serial_moto.py} (one request at a time,
 * as DynamoDB isolates transactions); each test replaces the ledger table, so no test sees another's items.
 */
final class MotoDynamoDb {

    private static final Server SERVER = new Server();

    private MotoDynamoDb() {
    }

    /** Where the emulator listens, for {@code AWS_ENDPOINT_URL_DYNAMODB}. */
    static URI endpoint() {
        return SERVER.endpoint;
    }

    /** A client for the emulator, made the way the handler's is. */
    static DynamoDbClient client() {
        return AwsClients.dynamoDb("eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXECUTIONROLE", "execution-secret")),
                SERVER.endpoint);
    }

    /** Creates an empty table in the ledger's shape named {@code name}, replacing any table of that name. */
    static void freshTable(DynamoDbClient client, String name) {
        try {
            client.deleteTable(r -> r.tableName(name));
        } catch (ResourceNotFoundException e) {
            // the first test of the JVM: nothing to replace
        }
        client.createTable(r -> r.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName(LedgerAttributes.OWNER).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(LedgerAttributes.ITEM).attributeType(ScalarAttributeType.S))
                .keySchema(
                        k -> k.attributeName(LedgerAttributes.OWNER).keyType(KeyType.HASH),
                        k -> k.attributeName(LedgerAttributes.ITEM).keyType(KeyType.RANGE)));
    }

    private static final class Server {
        final URI endpoint;

        Server() {
            Process process;
            try {
                process = new ProcessBuilder("python3", "src/test/python/serial_moto.py")
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("the ledger tests need python3 with moto[server] (.ci/run installs"
                        + " it): " + e.getMessage(), e);
            }
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String port;
            try {
                // moto imports slowly on a loaded machine; wait for the port it prints, not a fixed time.
                port = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroy();
                throw new IllegalStateException("moto did not start: " + e, e);
            }
            if (port == null || !port.matches("\\d+")) {
                process.destroy();
                throw new IllegalStateException("moto did not start (needs python3 with moto[server]); it printed: "
                        + port);
            }
            endpoint = URI.create("http://127.0.0.1:" + port);
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        }
    }
}
