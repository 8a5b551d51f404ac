package dev.multipartuploadsts.ledger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The ledger's timestamps: ISO-8601 UTC with exactly three fraction digits, so they sort as strings. */
public final class LedgerTimes {

    // Instant.toString drops zero milliseconds ("...:05Z" vs "...:05.120Z"), which would break string ordering.
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LedgerTimes() {
    }

    /** {@code instant} as stored in {@code createdAt}, {@code updatedAt} and {@code completedAt}. */
    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
