package dev.multipartuploadsts.credentials;

import java.text.Normalizer;

/**
 * Cleans a browser-supplied file name into the last segment of an object key.
 *
 * <p>The result uses only {@code [A-Za-z0-9._-]}: S3's "safe characters" minus the ones IAM treats as
 * wildcards ({@code *}) or that need quoting somewhere along the way. So the key needs no escaping in
 * the session policy's JSON or in an ARN, can never contain a policy variable such as
 * {@code ${aws:username}}, and needs no percent-encoding in a URL or a shell. Steps, in order:
 * <ol>
 *   <li>NFKC-normalise, so full-width and other compatibility look-alikes become their ASCII selves
 *       (this must come before step 2: {@code ．．／} is {@code ../} once normalised);</li>
 *   <li>keep only what follows the last {@code /} or {@code \};</li>
 *   <li>decompose accented letters and drop the marks ({@code Café} becomes {@code Cafe});</li>
 *   <li>drop control and invisible format characters (zero-width spaces, bidi overrides);</li>
 *   <li>replace every other character outside the safe set, whitespace included, with {@code _},
 *       one {@code _} for a run of them; collapse runs of dots;</li>
 *   <li>strip leading dots (hidden files) and hyphens (read as options by shell tools), and trailing dots
 *       (Windows drops them on download);</li>
 *   <li>cut to {@value #MAX_BYTES} bytes, keeping an extension of up to {@value #MAX_EXTENSION_LENGTH}
 *       characters.</li>
 * </ol>
 * Cleaning is idempotent, which is what lets a refresh check that a key's file name is one this
 * service could have produced.
 */
public final class FileNames {

    /** Longest cleaned name in bytes (the result is ASCII, so also in characters). */
    public static final int MAX_BYTES = 255;

    /** Longest extension, dot included, that truncation keeps. */
    static final int MAX_EXTENSION_LENGTH = 16;

    private FileNames() {
    }

    /**
     * Returns the cleaned name: 0 to {@value #MAX_BYTES} characters of {@code [A-Za-z0-9._-]}. Empty means
     * nothing recognisable was left, which the caller must reject.
     */
    public static String clean(String raw) {
        String name = isAscii(raw) ? raw : Normalizer.normalize(raw, Normalizer.Form.NFKC);
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (!isAscii(name)) {
            name = Normalizer.normalize(name, Normalizer.Form.NFD);
        }
        return truncate(strip(replaceUnsafe(name)));
    }

    /** Whether {@code name} is already clean: non-empty and unchanged by {@link #clean}. */
    public static boolean isClean(String name) {
        return !name.isEmpty() && name.length() <= MAX_BYTES && clean(name).equals(name);
    }

    /** A run of unsafe characters and underscores that holds at least one unsafe character becomes one {@code _}. */
    private static String replaceUnsafe(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), 4 * MAX_BYTES));
        boolean replacing = false;
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            i += Character.charCount(c);
            if (isInvisible(c)) {
                continue;
            }
            if (!isSafe(c)) {
                if (!endsWith(out, '_')) {
                    out.append('_');
                }
                replacing = true;
            } else if ((c == '_' && replacing) || (c == '.' && endsWith(out, '.'))) {
                continue;
            } else {
                out.append((char) c);
                replacing = false;
            }
        }
        return out.toString();
    }

    private static String strip(String name) {
        int start = 0;
        while (start < name.length() && (name.charAt(start) == '.' || name.charAt(start) == '-')) {
            start++;
        }
        int end = name.length();
        while (end > start && name.charAt(end - 1) == '.') {
            end--;
        }
        return name.substring(start, end);
    }

    private static String truncate(String name) {
        if (name.length() <= MAX_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_EXTENSION_LENGTH ? name.substring(dot) : "";
        String base = name.substring(0, MAX_BYTES - extension.length());
        int end = base.length();
        while (end > 0 && base.charAt(end - 1) == '.') {
            end--;
        }
        return base.substring(0, end) + extension;
    }

    private static boolean isSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    /** Controls, format characters (zero-width, bidi overrides) and combining marks left by NFD. */
    private static boolean isInvisible(int c) {
        switch (Character.getType(c)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.NON_SPACING_MARK:
            case Character.COMBINING_SPACING_MARK:
            case Character.ENCLOSING_MARK:
                return true;
            default:
                return false;
        }
    }

    private static boolean endsWith(StringBuilder out, char c) {
        return out.length() > 0 && out.charAt(out.length() - 1) == c;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
