package dev.multipartuploadsts.infra.constructs;

/** The one check a props builder makes for a prop that has no default: that it was set. */
public final class Required {
    private Required() { }

    /** Returns {@code value}, or fails naming the prop ({@code "CredentialsFunction.Props.jar"}) when it is unset. */
    public static <T> T prop(String name, T value) {
        if (value == null) {
            throw new IllegalStateException(name + " is required and has no default, but was not set");
        }
        return value;
    }
}
