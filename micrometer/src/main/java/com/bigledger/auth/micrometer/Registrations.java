package com.bigledger.auth.micrometer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The listeners a binder added, removed together when it is closed. Thread-safe. */
final class Registrations {

    private final String listener;
    private final List<AutoCloseable> registrations = new CopyOnWriteArrayList<>();

    /**
     * @param listener what each registration is, for the message of a failed removal, such as {@code "a token
     *     listener"}
     */
    Registrations(String listener) {
        this.listener = listener;
    }

    /** Keeps a registration to remove on {@link #close()}. */
    void add(AutoCloseable registration) {
        registrations.add(registration);
    }

    /** Removes every registration kept so far. */
    void close() {
        for (AutoCloseable registration : registrations) {
            try {
                registration.close();
            } catch (Exception e) {
                throw new IllegalStateException("Removing " + listener + " failed", e);
            }
        }
        registrations.clear();
    }
}
