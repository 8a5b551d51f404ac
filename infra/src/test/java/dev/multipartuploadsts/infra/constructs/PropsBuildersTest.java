package dev.multipartuploadsts.infra.constructs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipartuploadsts.infra.config.AppConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class PropsBuildersTest {
    @Test
    void aPropWithoutDefaultThatWasNotSetIsNamedWhenBuilding() {
        assertThatThrownBy(() -> CredentialsFunction.Props.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("CredentialsFunction.Props.jar is required and has no default, but was not set");
        assertThatThrownBy(() -> SignInSettings.builder().issuer("https://login.example.com").build())
                .hasMessage("SignInSettings.audience is required and has no default, but was not set");
    }

    @Test
    void unsetPropsTakeTheAppsDocumentedDefaults() {
        UploadBucket.Props bucket = UploadBucket.Props.builder().corsOrigins(List.of("https://example.com")).build();
        assertThat(bucket.corsMaxAgeSeconds()).isEqualTo(AppConfig.DEFAULTS.corsMaxAgeSeconds()).isEqualTo(3600);
        assertThat(bucket.abortIncompleteUploadsAfterDays()).isEqualTo(2);
        assertThat(bucket.encryption()).isEqualTo(AppConfig.BucketEncryption.S3_MANAGED);
        SignInSettings signIn = SignInSettings.builder().issuer("https://login.example.com").audience("api")
                .apiScope("uploads:write").build();
        assertThat(signIn.clientId()).as("the client id defaults to the audience").isEqualTo("api");
        assertThat(signIn.signInScopes()).isEqualTo("openid email profile");
        assertThat(signIn.pageScopes()).isEqualTo("openid email profile uploads:write");
    }
}
