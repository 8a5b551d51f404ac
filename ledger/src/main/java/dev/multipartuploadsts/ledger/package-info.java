/**
 * The upload ledger's schema, shared by the credentials Lambda (which writes grants and quota counters) and the
 * verifier (which moves grants to a final state): attribute names, grant states, item keys, timestamps, and the
 * object key layout. Plain Java with no dependencies, because it is shaded into both Lambda jars.
 */
package dev.multipartuploadsts.ledger;
