package com.bigledger.auth.store.env;

import com.bigledger.auth.Secret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code .env} file, parsed when opened and parsed again only when its modification time, size or identity
 * changes, so that a developer's edit is picked up without a restart at the cost of one {@code stat} per lookup.
 *
 * <p>Thread-safe: lookups read a volatile snapshot; a re-parse holds a lock so that two threads do not both parse
 * and an older parse never replaces a newer one.
 */
final class DotenvFile {

    private final Path path;
    private final Object lock = new Object();
    private volatile Snapshot snapshot;

    private DotenvFile(Path path) {
        this.path = path;
    }

    /**
     * Reads and parses the file now, so that a missing or malformed file is reported when the source is built.
     *
     * @throws DotenvFileException if the file cannot be read
     * @throws DotenvFormatException if a line is malformed
     */
    static DotenvFile open(Path path) {
        DotenvFile file = new DotenvFile(path);
        file.snapshot = file.read();
        return file;
    }

    Path path() {
        return path;
    }

    /**
     * Returns a fresh copy of a variable's value, which the caller may destroy, re-parsing the file first if it
     * changed.
     *
     * @throws DotenvFileException if the file can no longer be read
     * @throws DotenvFormatException if an edit made a line malformed
     */
    Optional<Secret> lookup(String name) {
        Secret stored = current().values.get(name);
        if (stored == null) {
            return Optional.empty();
        }
        byte[] bytes = stored.revealBytes();
        try {
            return Optional.of(Secret.ofBytes(bytes));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private Snapshot current() {
        Snapshot seen = snapshot;
        if (seen.isOf(attributes())) {
            return seen;
        }
        synchronized (lock) {
            Snapshot latest = snapshot;
            if (latest != seen && latest.isOf(attributes())) {
                return latest;
            }
            latest = read();
            snapshot = latest;
            return latest;
        }
    }

    private Snapshot read() {
        // The attributes are read before the content: if the file changes in between, the next lookup sees new
        // attributes and parses again, rather than keeping new attributes with old content.
        BasicFileAttributes attributes = attributes();
        if (!attributes.isRegularFile()) {
            throw new DotenvFileException(path, "is not a regular file", null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw unreadable(e);
        }
        char[] chars = new char[bytes.length];
        try {
            int length = decode(bytes, chars);
            return new Snapshot(attributes, DotenvParser.parse(path, chars, length));
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(chars, '\0');
        }
    }

    /** Decodes strict UTF-8 into {@code chars}, which is large enough because UTF-8 never has fewer bytes. */
    private int decode(byte[] bytes, char[] chars) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.wrap(chars);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new DotenvFormatException(path, line, "the text is not valid UTF-8");
        }
        return out.position();
    }

    private BasicFileAttributes attributes() {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private DotenvFileException unreadable(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DotenvFileException(path, "does not exist", e);
        }
        if (e instanceof AccessDeniedException) {
            return new DotenvFileException(path, "cannot be read: permission denied", e);
        }
        // I/O messages name the path and the operating system's reason, never the file's content.
        return new DotenvFileException(path, "cannot be read: " + e, e);
    }

    private static final class Snapshot {
        private final FileTime modified;
        private final long size;
        private final Object fileKey;
        private final Map<String, Secret> values;

        Snapshot(BasicFileAttributes attributes, Map<String, Secret> values) {
            this.modified = attributes.lastModifiedTime();
            this.size = attributes.size();
            this.fileKey = attributes.fileKey();
            this.values = Map.copyOf(values);
        }

        boolean isOf(BasicFileAttributes attributes) {
            return modified.equals(attributes.lastModifiedTime()) && size == attributes.size()
                    && Objects.equals(fileKey, attributes.fileKey());
        }
    }
}
