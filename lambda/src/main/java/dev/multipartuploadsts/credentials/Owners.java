package dev.multipartuploadsts.credentials;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Turns the authorizer's verified subject into the {@code <owner>} segment of object keys, and the
 * owner into the name STS records for the session.
 *
 * <p>The owner is the lowercase RFC 4648 base32 encoding, without padding, of the subject's UTF-8
 * bytes. Base32 is a bijection between byte strings and (canonical) strings over {@code [a-z2-7]}, so
 * the encoding is deterministic and collision-free, and the alphabet has no {@code /}, {@code *},
 * {@code ?}, {@code $}, {@code {}, whitespace or non-ASCII character that IAM or S3 would treat specially.
 */
public final class Owners {

    /**
     * The longest subject accepted, in UTF-8 bytes. OpenID Connect Core 1.0 section 2 caps {@code sub} at
     * 255 ASCII characters; Cognito's are 36. Bounding it bounds the key and the session policy length.
     */
    public static final int MAX_SUBJECT_BYTES = 255;

    /** The longest owner {@link #encode} returns: base32 of {@link #MAX_SUBJECT_BYTES} bytes. */
    public static final int MAX_OWNER_LENGTH = (MAX_SUBJECT_BYTES * 8 + 4) / 5;

    /** STS limit for RoleSessionName and SourceIdentity. */
    static final int MAX_SESSION_NAME_LENGTH = 64;

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int HASH_CHARS = 25;

    private Owners() {
    }

    /**
     * Encodes a subject as an owner.
     *
     * @throws IllegalArgumentException if the subject is not well-formed Unicode (a lone surrogate), is empty,
     *     or is longer than {@link #MAX_SUBJECT_BYTES}
     */
    public static String encode(String subject) {
        byte[] bytes = strictUtf8(subject);
        if (bytes.length == 0 || bytes.length > MAX_SUBJECT_BYTES) {
            throw new IllegalArgumentException("subject must be 1 to " + MAX_SUBJECT_BYTES
                    + " bytes of UTF-8, but " + bytes.length + " bytes were given");
        }
        return base32(bytes);
    }

    /**
     * The RoleSessionName and SourceIdentity for an owner: the owner itself when it fits STS's 64
     * characters, otherwise its first 38 characters, a hyphen and 25 base32 characters (125 bits) of the
     * SHA-256 of the whole owner. The hyphen never occurs in an owner, so the short and the long forms
     * cannot collide; two long forms collide only if SHA-256 does.
     */
    public static String sessionName(String owner) {
        if (owner.length() <= MAX_SESSION_NAME_LENGTH) {
            return owner;
        }
        String hash = base32(sha256(owner.getBytes(StandardCharsets.US_ASCII)));
        int keep = MAX_SESSION_NAME_LENGTH - 1 - HASH_CHARS;
        return owner.substring(0, keep) + '-' + hash.substring(0, HASH_CHARS);
    }

    /**
     * UTF-8 bytes of a well-formed string. {@code String.getBytes} would replace a lone UTF-16 surrogate
     * (which a JSON {@code \\ud800} escape can produce) with {@code ?}, so {@code "\\ud800"} and {@code "?"}
     * would share an owner; refusing malformed subjects keeps the encoding injective.
     */
    private static byte[] strictUtf8(String subject) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(subject));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("subject must be well-formed Unicode, but it contains a lone "
                    + "UTF-16 surrogate");
        }
    }

    /** Lowercase RFC 4648 base32 without padding. */
    static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                out.append(ALPHABET[(buffer >>> bits) & 31]);
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (java.security.MessageDigest documentation).
            throw new IllegalStateException(e);
        }
    }
}
