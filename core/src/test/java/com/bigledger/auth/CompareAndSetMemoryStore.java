package com.bigledger.auth;

import com.bigledger.auth.spi.WritableCredentialSource;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory store that offers compare-and-set for every reference, for a test that changes what a write does: the
 * subclass's {@link #write} counts itself in {@link #writes} and writes through to {@link #delegate}, which answers
 * everything else.
 */
abstract class CompareAndSetMemoryStore implements WritableCredentialSource {
    final InMemoryCredentialSource delegate;
    final AtomicInteger writes = new AtomicInteger();

    CompareAndSetMemoryStore(InMemoryCredentialSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public String scheme() {
        return delegate.scheme();
    }

    @Override
    public Set<String> supportedOptions() {
        return delegate.supportedOptions();
    }

    @Override
    public VersionedSecret load(CredentialRef ref) {
        return delegate.load(ref);
    }

    @Override
    public boolean supportsCompareAndSet(CredentialRef ref) {
        return true;
    }
}
