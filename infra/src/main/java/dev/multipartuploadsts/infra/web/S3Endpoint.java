package dev.multipartuploadsts.infra.web;

/**
 * Where the page sends its S3 requests: the one place that knows the host, for both CSP layers.
 *
 * <p>Without Transfer Acceleration that is the bucket's regional endpoint, virtual-hosted style. With it, every
 * request (CreateMultipartUpload, UploadPart, ListParts, Complete, Abort, and their CORS preflights) goes to the
 * accelerate endpoint, which AWS documents only in virtual-hosted style and only under {@code amazonaws.com}; the
 * request is still signed for service {@code s3} in the bucket's Region, so the page never calls the regional host.
 */
public final class S3Endpoint {
    /** The accelerate endpoint's domain; a bucket is reached as {@code <bucket>.s3-accelerate.amazonaws.com}. */
    public static final String ACCELERATE_DOMAIN = "s3-accelerate.amazonaws.com";

    private S3Endpoint() { }

    /** The exact origin the page calls for {@code bucket}, for the meta CSP. */
    public static String origin(String bucket, String region, boolean transferAcceleration) {
        return "https://" + bucket + "." + domain(region, transferAcceleration);
    }

    /** Every bucket's origin at that endpoint, for the header CSP written before the bucket exists. */
    public static String family(String region, boolean transferAcceleration) {
        return "https://*." + domain(region, transferAcceleration);
    }

    private static String domain(String region, boolean transferAcceleration) {
        return transferAcceleration ? ACCELERATE_DOMAIN : "s3." + region + ".amazonaws.com";
    }
}
