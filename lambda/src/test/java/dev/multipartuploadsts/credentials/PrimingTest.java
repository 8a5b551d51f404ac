package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimingTest {

    @Test
    void paysOnlyWhenInitRunsAheadOfRequests() {
        assertThat(Priming.pays(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"))).isTrue();
        assertThat(Priming.pays(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency"))).isTrue();
        assertThat(Priming.pays(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"))).isFalse();
        assertThat(Priming.pays(Map.of())).isFalse();
    }

    @Test
    void answersTheMadeUpRequestFromMemoryAndLogsNothing() {
        List<String> log = new ArrayList<>();
        Config config = Config.fromEnvironment(ConfigTest.validEnvironment());

        boolean primed = Priming.prime(config.region(),
                fakes -> new CredentialsHandler(config, fakes.sts(), fakes.dynamoDb(), fakes.uploadIds(),
                        Clock.systemUTC(), line -> { }), log::add);

        assertThat(primed).isTrue();
        assertThat(log).isEmpty();
    }

    @Test
    void reportsAHandlerThatDoesNotAnswer200WithoutThrowing() {
        List<String> log = new ArrayList<>();
        Config config = Config.fromEnvironment(ConfigTest.validEnvironment());

        boolean primed = Priming.prime(config.region(),
                fakes -> new CredentialsHandler(config, fakes.sts(), fakes.dynamoDb(), () -> "not-a-uuid",
                        Clock.systemUTC(), line -> { }), log::add);

        assertThat(primed).isFalse();
        assertThat(log).containsExactly(
                "{\"outcome\":\"priming_failed\",\"detail\":\"the made-up request was not answered with 200\"}");
    }
}
