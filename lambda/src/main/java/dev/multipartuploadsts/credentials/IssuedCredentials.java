package dev.multipartuploadsts.credentials;

import java.time.Instant;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Temporary credentials as STS returned them, and what the call cost. */
record IssuedCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
        Integer packedPolicySize) {

    /** The credentials in an AssumeRole answer, or 502 if any part is missing. */
    static IssuedCredentials from(AssumeRoleResponse response) {
        Credentials c = response.credentials();
        if (c == null || c.accessKeyId() == null || c.secretAccessKey() == null || c.sessionToken() == null
                || c.expiration() == null) {
            throw ApiException.badGateway("The credentials service gave an answer without credentials.",
                    "AssumeRole answered without complete Credentials");
        }
        return new IssuedCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration(),
                response.packedPolicySize());
    }
}
