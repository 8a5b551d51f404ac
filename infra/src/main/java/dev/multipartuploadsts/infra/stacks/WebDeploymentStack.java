package dev.multipartuploadsts.infra.stacks;

import dev.multipartuploadsts.infra.constructs.SiteDeployment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * Last stack: the page's files and its runtime config (API URL, bucket, sign-in settings) deployed into the hosting
 * stack's bucket. It reads from every other stack and nothing reads from it, which is what keeps the graph acyclic.
 */
public final class WebDeploymentStack extends Stack {
    private final SiteDeployment site;

    public WebDeploymentStack(Construct scope, String id, StackProps stackProps, SiteDeployment.Props props) {
        super(scope, id, stackProps);
        this.site = new SiteDeployment(this, "Site", props);
    }

    public SiteDeployment site() {
        return site;
    }
}
