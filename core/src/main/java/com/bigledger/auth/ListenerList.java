package com.bigledger.auth;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * A copy-on-write list of listeners, iterated without a lock: the JDK's {@code CopyOnWriteArrayList} keeps a lock
 * object and an array of its own even when empty, which 100,000 token managers with no listener would pay for. This
 * one holds one shared empty array until a listener is added. Thread-safe.
 *
 * @param <T> the listener type
 */
final class ListenerList<T> implements Iterable<T> {

    private static final Object[] EMPTY = new Object[0];

    private volatile Object[] listeners;

    ListenerList(Collection<? extends T> initial) {
        this.listeners = initial.isEmpty() ? EMPTY : initial.toArray();
    }

    synchronized void add(T listener) {
        Object[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[grown.length - 1] = listener;
        listeners = grown;
    }

    synchronized void remove(T listener) {
        Object[] current = listeners;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                Object[] shrunk = new Object[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                listeners = shrunk.length == 0 ? EMPTY : shrunk;
                return;
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Iterator<T> iterator() {
        return (Iterator<T>) List.of(listeners).iterator();
    }
}
