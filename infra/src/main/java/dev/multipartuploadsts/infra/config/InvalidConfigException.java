package dev.multipartuploadsts.infra.config;

/** A {@code cdk.json} context value is outside what the app accepts; the message names key, rule and value. */
public final class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }
}
