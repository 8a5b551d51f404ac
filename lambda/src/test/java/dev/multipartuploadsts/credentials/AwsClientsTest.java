package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;

class AwsClientsTest {

    @Test
    void usesTheEnvironmentKeysWhenLambdaSetsThem() {
        Map<String, String> onDemand = Map.of("AWS_ACCESS_KEY_ID", "ASIA", "AWS_SECRET_ACCESS_KEY", "s",
                "AWS_SESSION_TOKEN", "t");

        assertThat(AwsClients.lambdaCredentials(onDemand)).isInstanceOf(EnvironmentVariableCredentialsProvider.class);
    }

    @Test
    void usesTheContainerEndpointWhenSnapStartLeavesTheKeysOut() {
        Map<String, String> snapStart = Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/2021-04-23/credentials",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "token");

        assertThat(AwsClients.lambdaCredentials(snapStart)).isInstanceOf(ContainerCredentialsProvider.class);
    }

    @Test
    void prefersTheEnvironmentKeysWhenBothAreThereAsTheSdksDefaultChainWould() {
        Map<String, String> both = Map.of("AWS_ACCESS_KEY_ID", "ASIA",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/2021-04-23/credentials");

        assertThat(AwsClients.lambdaCredentials(both)).isInstanceOf(EnvironmentVariableCredentialsProvider.class);
    }
}
