// S3Proxy (org.gaul:s3proxy, filesystem backend) with SigV4 authentication on, for the browser benchmarks.
// S3Proxy knows one identity; the page and its peers sign with temporary credentials that local mode's
// STS (moto) vends per upload. So this launcher embeds S3Proxy and gives it a BlobStoreLocator that finds
// the secret of any access key STS has issued, by reading moto's state (/moto-api/data.json) when a key
// is new to it; the bucket owner's fixed key pair is accepted too. S3Proxy then checks every request's
// SigV4 signature (headers or query) against that secret, as S3 would. What S3Proxy does not check is the
// session token's validity and the session policy (this key only): that part of S3's authorization is not
// reproduced, and the benchmark does not need it (the signing work in the client is the same either way).
//
// Usage: java -cp s3proxy-<v>-jar-with-dependencies.jar StsS3Proxy.java <properties file>
// Properties: S3Proxy's own (s3proxy.endpoint with port 0 for a free port, s3proxy.authorization,
// s3proxy.identity / s3proxy.credential for the owner, s3proxy.cors-*), plus bench.basedir (the
// filesystem backend's folder) and bench.sts-state-url (moto's /moto-api/data.json).
// Prints "s3proxy listening on <port>" once it accepts requests.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

public final class StsS3Proxy {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Access key id to secret: the owner's, and every STS key seen so far. */
  private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    if (args.length != 1) throw new IllegalArgumentException("usage: StsS3Proxy <properties file>");
    Properties props = new Properties();
    try (InputStream in = new FileInputStream(args[0])) {
      props.load(in);
    }
    URI stsState = URI.create(required(props, "bench.sts-state-url"));
    BlobStore store = new FilesystemNio2BlobStore(required(props, "bench.basedir"));
    SECRETS.put(required(props, "s3proxy.identity"), required(props, "s3proxy.credential"));

    S3Proxy proxy = S3Proxy.Builder.fromProperties(props).blobStore(store).build();
    proxy.setBlobStoreLocator((identity, container, blob) -> {
      if (identity == null) return null; // anonymous requests are refused
      String secret = SECRETS.get(identity);
      if (secret == null) secret = refreshFromSts(stsState, identity);
      return secret == null ? null : new AccessGrant(secret, store);
    });
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) Thread.sleep(20);
    System.out.println("s3proxy listening on " + proxy.getPort());
    System.out.flush();
    Thread.currentThread().join();
  }

  /** Reads every assumed role's key pair from moto's state; returns the secret of `identity` or null. */
  private static synchronized String refreshFromSts(URI stsState, String identity) {
    String known = SECRETS.get(identity);
    if (known != null) return known;
    try {
      HttpResponse<String> response =
          HTTP.send(HttpRequest.newBuilder(stsState).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) throw new IllegalStateException("HTTP " + response.statusCode());
      for (JsonNode role : JSON.readTree(response.body()).path("sts").path("AssumedRole")) {
        SECRETS.put(role.path("access_key_id").asText(), role.path("secret_access_key").asText());
      }
    } catch (Exception e) {
      System.err.println("could not read STS state from " + stsState + ": " + e);
    }
    return SECRETS.get(identity);
  }

  private static String required(Properties props, String name) {
    String value = props.getProperty(name);
    if (value == null || value.isBlank()) throw new IllegalArgumentException("property " + name + " is missing");
    return value;
  }
}
