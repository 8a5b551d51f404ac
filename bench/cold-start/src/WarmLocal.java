import dev.multipartuploadsts.credentials.Config;
import dev.multipartuploadsts.credentials.CredentialsHandler;
import dev.multipartuploadsts.credentials.InMemoryAws;
import java.io.IOException;
import java.util.UUID;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Warm latency without the STS round trip: the same handler code and the real SDK client (marshalling,
 * SigV4 signing, XML unmarshalling), with the lambda's own in-memory HTTP client (the one SnapStart priming
 * uses) handing back a canned AssumeRole answer. Kept out of {@link ColdStartHarness} so none of this is
 * loaded before the cold start is measured.
 */
final class WarmLocal {

    private WarmLocal() {
    }

    static long[] run(byte[] event, int count) throws IOException {
        Config config = Config.fromEnvironment(System.getenv());
        try (StsClient sts = InMemoryAws.sts(config.region())) {
            CredentialsHandler handler = new CredentialsHandler(config, sts, () -> UUID.randomUUID().toString(),
                    line -> System.out.println(line));
            return ColdStartHarness.time(handler, event, count);
        }
    }
}
