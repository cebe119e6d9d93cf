package com.bigledger.auth.bigledger;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The name and version of this library, as sent in the {@code User-Agent} header.
 *
 * <p>The version comes from {@code library.properties}, which the build fills in from the project version, so it
 * is right in tests (run from the build's classes) as well as in the published jar; a copy of the classes that
 * skipped the build's resource filtering falls back to the jar manifest, then to {@code unknown}. Read once.
 * Thread-safe.
 */
final class LibraryVersion {

    /** The product token of this library in {@code User-Agent}. */
    static final String NAME = "bigledger-auth-java";

    static final String VERSION = read();

    /** {@code bigledger-auth-java/VERSION}. */
    static final String PRODUCT = NAME + "/" + VERSION;

    private LibraryVersion() {
    }

    private static String read() {
        Properties properties = new Properties();
        try (InputStream in = LibraryVersion.class.getResourceAsStream("library.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // Fall through to the manifest.
        }
        String version = properties.getProperty("version", "");
        if (isToken(version)) {
            return version;
        }
        String manifest = LibraryVersion.class.getPackage().getImplementationVersion();
        return manifest != null && isToken(manifest) ? manifest : "unknown";
    }

    /** An unfiltered {@code ${project.version}} or anything else that cannot go in a product token is refused. */
    private static boolean isToken(String version) {
        return !version.isEmpty() && version.chars().allMatch(c -> c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}$"
                .indexOf(c) < 0);
    }
}
