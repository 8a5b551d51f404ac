package floor;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.Bucket;

/** The smallest CDK Java app worth synthesizing: one stack, one bucket. The synth benchmark's floor. */
public final class FloorApp {
    public static void main(String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "SynthFloor");
        new Bucket(stack, "Bucket");
        app.synth();
    }
}
