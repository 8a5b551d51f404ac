package dev.multipartuploadsts.credentials;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Upload ids: time-ordered UUIDs, version 7 (RFC 9562), so the ledger's sort keys {@code upload#<id>} list an
 * owner's uploads in the order they started. 48 bits of Unix milliseconds, then 74 random bits.
 */
final class UploadIds {

    private UploadIds() {
    }

    /** A fresh id for an upload started at {@code now}. */
    static String next(Instant now) {
        byte[] random = new byte[10];
        Random.SOURCE.nextBytes(random);
        long millis = now.toEpochMilli();
        long high = (millis << 16) | 0x7000L | ((random[0] & 0x0fL) << 8) | (random[1] & 0xffL);
        long low = (ByteBuffer.wrap(random, 2, 8).getLong() & 0x3fff_ffff_ffff_ffffL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    /**
     * The first 13 characters ({@code xxxxxxxx-xxxx}) that every id made in {@code at}'s millisecond starts with:
     * ids of uploads started earlier sort before it.
     */
    static String timePrefix(Instant at) {
        String hex = String.format("%012x", at.toEpochMilli());
        return hex.substring(0, 8) + '-' + hex.substring(8);
    }

    /** Created on first use, after any SnapStart restore, never in a snapshot. */
    private static final class Random {
        static final SecureRandom SOURCE = new SecureRandom();
    }
}
