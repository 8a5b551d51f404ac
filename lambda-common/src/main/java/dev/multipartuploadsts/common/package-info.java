/**
 * What the credentials Lambda and the verifier share beyond the ledger's schema: how they read and write JSON.
 * Only jackson-core, which both jars shade anyway.
 */
package dev.multipartuploadsts.common;
