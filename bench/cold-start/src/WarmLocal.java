import dev.multipartuploadsts.credentials.Config;
import dev.multipartuploadsts.credentials.CredentialsHandler;
import dev.multipartuploadsts.credentials.InMemoryAws;
import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Warm latency without the network round trips: the same handler code and the real SDK clients (marshalling,
 * SigV4 signing, unmarshalling), with the lambda's own in-memory HTTP clients (the ones SnapStart priming
 * uses) handing back a canned AssumeRole answer and an empty DynamoDB one. Kept out of {@link ColdStartHarness} so none of this is
 * loaded before the cold start is measured.
 */
final class WarmLocal {

    private WarmLocal() {
    }

    static long[] run(byte[] event, int count) throws IOException {
        Config config = Config.fromEnvironment(System.getenv());
        try (StsClient sts = InMemoryAws.sts(config.region());
                DynamoDbClient ledger = InMemoryAws.dynamoDb(config.region())) {
            CredentialsHandler handler = new CredentialsHandler(config, sts, ledger, () -> UUID.randomUUID().toString(),
                    Clock.systemUTC(), line -> System.out.println(line));
            return ColdStartHarness.time(handler, event, count);
        }
    }
}
