package dev.multipartuploadsts.credentials;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;

/** STS Query-protocol answers, as STS sends them, for WireMock. */
final class StsStubs {

    static final String ACCESS_KEY_ID = "ASIAEXAMPLEKEYID0001";
    static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    static final String SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDEXAMPLE=";
    static final String EXPIRATION = "2026-11-22T08:00:00Z";

    private StsStubs() {
    }

    /** WireMock on a free loopback port, started, standing in for STS. */
    static WireMockServer startServer() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return server;
    }

    /** The handler's STS client, signing as a made-up execution role, sending to {@code server}. */
    static StsClient client(WireMockServer server) {
        return AwsClients.sts("eu-west-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXECUTIONROLE", "execution-secret")),
                URI.create(server.baseUrl()));
    }

    static String assumeRoleAnswer() {
        return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
                + "  <AssumeRoleResult>\n"
                + "    <SourceIdentity>source</SourceIdentity>\n"
                + "    <AssumedRoleUser>\n"
                + "      <Arn>arn:aws:sts::123456789012:assumed-role/upload-role/session</Arn>\n"
                + "      <AssumedRoleId>AROAEXAMPLEROLEID:session</AssumedRoleId>\n"
                + "    </AssumedRoleUser>\n"
                + "    <Credentials>\n"
                + "      <AccessKeyId>" + ACCESS_KEY_ID + "</AccessKeyId>\n"
                + "      <SecretAccessKey>" + SECRET_ACCESS_KEY + "</SecretAccessKey>\n"
                + "      <SessionToken>" + SESSION_TOKEN + "</SessionToken>\n"
                + "      <Expiration>" + EXPIRATION + "</Expiration>\n"
                + "    </Credentials>\n"
                + "    <PackedPolicySize>7</PackedPolicySize>\n"
                + "  </AssumeRoleResult>\n"
                + "  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>\n"
                + "</AssumeRoleResponse>\n";
    }

    static String answerWithoutCredentials() {
        return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<AssumeRoleResult></AssumeRoleResult>"
                + "<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>"
                + "</AssumeRoleResponse>";
    }

    static String error(String type, String code, String message) {
        return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
                + "  <Error><Type>" + type + "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>\n"
                + "  <RequestId>0c4c2b4e-1b2a-4a9e-9f45-EXAMPLE</RequestId>\n"
                + "</ErrorResponse>\n";
    }
}
