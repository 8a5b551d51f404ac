package dev.multipartuploadsts.infra.stacks;

import dev.multipartuploadsts.infra.constructs.StaticSite;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudfront.IDistribution;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * First stack: the page's bucket and CloudFront distribution. It comes first because the page's origin is what the
 * upload bucket's CORS rule, the API's CORS and the sign-in callback URLs are made from.
 */
public final class HostingStack extends Stack {
    private final StaticSite site;

    public HostingStack(Construct scope, String id, StackProps stackProps, StaticSite.Props props) {
        super(scope, id, stackProps);
        this.site = new StaticSite(this, "Site", props);
        CfnOutput.Builder.create(this, "PageUrl").value(site.pageOrigin() + "/")
                .description("The upload page").build();
    }

    public String pageOrigin() {
        return site.pageOrigin();
    }

    public IBucket siteBucket() {
        return site.siteBucket();
    }

    public IDistribution distribution() {
        return site.distribution();
    }
}
