package com.bigledger.auth.store.vault;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.RefreshingCredential;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Vault token fresh for a source, on the library's {@link RefreshingCredential}: at most one login, lookup
 * or renewal runs at a time, and every read that waits shares its outcome.
 *
 * <ul>
 *   <li>First use: a login (AppRole, Kubernetes), or a {@code lookup-self} of a given token to learn its TTL.
 *   <li>Two thirds into the TTL: {@code renew-self} while the token is renewable; the token stays in use meanwhile.
 *       A renewal that comes back shorter than the token's TTL means its maximum TTL is near, so the next refresh
 *       is a new login instead.
 *   <li>A refused renewal (400, 403), a non-renewable token, or a token a read found refused: a new login. A given
 *       token cannot be replaced; a token file is read again.
 *   <li>Failures are retried in the background with backoff (1 s doubling to 2 minutes) while the current token is
 *       still used, and no sooner than a 429's {@code Retry-After} (at most 5 minutes). A read that finds no usable
 *       token gets the last failure at once until the next attempt is due, so an outage never makes reads queue up
 *       behind a login.
 *   <li>A refused AppRole login is tried again only after {@link #REFUSED_APP_ROLE_LOGIN_INTERVAL}: since Vault 1.13,
 *       AppRole user lockout is on by default, and 5 failed logins with less than 15 minutes between them lock the
 *       role id out for 15 minutes, for every client that shares it (developer.hashicorp.com/vault/docs/concepts/
 *       user-lockout). Spaced this far apart, one process with a stale secret id never adds up to a lockout.
 *   <li>A renewal answered 500 (Vault's answer when the token's role was deleted) is followed by a new login.
 * </ul>
 *
 * Thread-safe.
 */
final class VaultTokens implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VaultTokens.class);

    /**
     * How long after a refused AppRole login the next is tried: just over Vault's default
     * {@code lockout_counter_reset} of 15 minutes, so that the lockout counter is back at zero each time.
     */
    static final Duration REFUSED_APP_ROLE_LOGIN_INTERVAL = Duration.ofMinutes(16);
    /** The longest {@code Retry-After} honoured: a quota asking for more is tried again after this. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private final VaultClient client;
    private final VaultAuthentication auth;
    private final Clock clock;
    private final String name;
    private final RefreshingCredential<VaultToken> value;

    VaultTokens(VaultClient client, VaultAuthentication auth, String address, Clock clock, Scheduler scheduler,
            Duration wait) {
        this.client = client;
        this.auth = auth;
        this.clock = clock;
        this.name = "Vault token for " + address + " (" + auth.describe() + ")";
        this.value = RefreshingCredential.builder(name, this::load, this::refreshAt, VaultToken::expiresAt)
                .clock(clock)
                .scheduler(scheduler)
                // Even a refused login is tried again, slowly: an operator may fix the role, or rotate the secret id.
                .retryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(2))
                .retryNoSoonerThan(VaultTokens::noSoonerThan)
                // A read that finds no token gets the failure at once rather than waiting through the backoff: the
                // credential vault in front keeps serving its cached values and retries with its own backoff.
                .failWaitersAtOnce()
                .timeout(wait, (timeout, last) -> new VaultTokenException("no Vault token within " + timeout
                        + (last == null ? "" : "; last failure: " + last.getMessage()), last, true))
                .listener(new RefreshingCredential.Listener<>() {
                    @Override
                    public void loaded(VaultToken previous, VaultToken loaded) {
                        LOG.debug("{}: {} until {}", name, loaded, loaded.expiresAt());
                    }

                    @Override
                    public void failed(RuntimeException failure, int consecutiveFailures,
                            Optional<Duration> retryIn, boolean valueServed) {
                        LOG.warn("{}: getting a token failed ({} in a row){}; next attempt in {}: {}", name,
                                consecutiveFailures, valueServed ? ", the current token is still used" : "",
                                retryIn.map(Duration::toString).orElse("-"), failure.getMessage());
                    }
                })
                .build();
    }

    /**
     * The shortest delay before the next attempt after a failure, on top of the backoff: see the class
     * documentation.
     */
    static Duration noSoonerThan(RuntimeException failure) {
        Duration least = Duration.ZERO;
        if (failure instanceof VaultTokenException) {
            VaultTokenException e = (VaultTokenException) failure;
            if (e.refusedAppRoleLogin()) {
                least = REFUSED_APP_ROLE_LOGIN_INTERVAL;
            }
            if (e.retryAfter() != null) {
                Duration wanted = e.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : e.retryAfter();
                if (least.compareTo(wanted) < 0) {
                    least = wanted;
                }
            }
        }
        return least;
    }

    /**
     * Returns a usable token, waiting for a login or renewal when there is none.
     *
     * @throws VaultTokenException when no token could be had
     * @throws IllegalStateException when the source is closed
     */
    VaultToken get() {
        try {
            return value.get();
        } catch (VaultTokenException | IllegalStateException e) {
            throw e;
        } catch (BigLedgerAuthException e) {
            throw new VaultTokenException(e.getMessage(), e, e.retryable());
        }
    }

    /**
     * Drops a token that Vault refused (expired or revoked), unless another caller already replaced it; the next
     * {@link #get()} waits for its replacement. Many callers that saw one refused token cause one login.
     */
    void refused(VaultToken token) {
        token.markRefused();
        value.invalidate(token);
    }

    @Override
    public void close() {
        value.close();
    }

    private VaultToken load(VaultToken previous) {
        VaultToken token;
        if (previous == null || previous.refused()) {
            token = obtain();
        } else if (auth.method() == VaultAuthentication.Method.TOKEN_FILE
                && !sameSecret(previous, readFile("token file", true))) {
            token = obtain();
        } else if (previous.extendable()) {
            token = renew(previous);
        } else {
            token = obtain();
        }
        return token;
    }

    private Instant refreshAt(VaultToken token) {
        if (!auth.isLogin() && auth.method() != VaultAuthentication.Method.TOKEN_FILE && !token.extendable()) {
            // A given token that cannot be renewed is what it is: looking it up again would not change it.
            return token.expiresAt();
        }
        return token.twoThirds();
    }

    private VaultToken obtain() {
        switch (auth.method()) {
            case TOKEN:
                return lookUp(auth.token());
            case TOKEN_FILE:
                return lookUp(readFile("token file", true));
            case APP_ROLE:
                return loginAppRole();
            default:
                return loginKubernetes();
        }
    }

    private VaultToken renew(VaultToken previous) {
        VaultClient.AuthReply reply = client.renewSelf(previous.secret());
        if (reply.status == 200) {
            Duration ttl = Duration.ofSeconds(reply.leaseSeconds);
            boolean capped = ttl.compareTo(previous.fullTtl()) < 0;
            LOG.debug("{}: renewed for {}{}", name, ttl, capped ? ", capped by the token's max TTL" : "");
            return new VaultToken(previous.secret(), clock.instant(), ttl, previous.fullTtl(), reply.renewable, capped,
                    reply.policies);
        }
        if (reply.status == 400 || reply.status == 403) {
            LOG.debug("{}: renewal refused (HTTP {}); getting a new token", name, reply.status);
            return obtain();
        }
        if (reply.status == 500 && auth.isLogin()) {
            // The auth plugins answer a renewal with 500 once the token's role was deleted (pathLoginRenew fails with
            // a plain error): renewing again cannot help, a new login may.
            LOG.debug("{}: renewal failed with HTTP 500 (the role may have been deleted); logging in again", name);
            return obtain();
        }
        throw tokenFailure("renewing the token (auth/token/renew-self) failed: ", reply);
    }

    private VaultToken lookUp(Secret token) {
        VaultClient.LookupReply reply = client.lookupSelf(token);
        if (reply.status == 200) {
            Duration ttl = Duration.ofSeconds(reply.ttlSeconds);
            Duration full = Duration.ofSeconds(Math.max(reply.creationTtlSeconds, reply.ttlSeconds));
            return new VaultToken(token, clock.instant(), ttl, full, reply.renewable, false, reply.policies);
        }
        if (reply.status == 400 || reply.status == 403) {
            throw new VaultTokenException("Vault refused " + auth.describe() + " (auth/token/lookup-self, HTTP "
                    + reply.status + "): it has expired or was revoked, or lacks the 'default' policy that allows "
                    + "lookup-self", null, false);
        }
        throw tokenFailure("looking up " + auth.describe() + " (auth/token/lookup-self) failed: ", reply);
    }

    private VaultToken loginAppRole() {
        Secret secretId;
        try {
            secretId = auth.vault() != null ? auth.vault().handle(auth.secretId()).get()
                    : auth.source().load(auth.secretId()).secret();
        } catch (CredentialException e) {
            throw new VaultTokenException("the AppRole secret id could not be loaded: " + e.getMessage(), e,
                    e.retryable());
        }
        VaultClient.AuthReply reply = client.loginAppRole(auth.mount().orElseThrow(), auth.role(), secretId);
        if (reply.status == 400 || reply.status == 403) {
            if (auth.vault() != null) {
                // The secret id may have been rotated: the next login reads it again.
                auth.vault().invalidate(auth.secretId());
            }
            String why = reply.status == 403
                    ? "the role id may be locked out after repeated failed logins (Vault 1.13+ user lockout: by "
                    + "default 5 failures lock it out for 15 minutes, for every client that uses it), or the role "
                    + "id or the secret id at " + auth.secretId() + " is wrong"
                    : "check the role id and the secret id at " + auth.secretId() + " (a secret id is also refused "
                    + "once used up, secret_id_num_uses, or expired, secret_id_ttl)";
            throw new VaultTokenException(auth.describe() + " was refused (HTTP " + reply.status + "): " + why
                    + "; the next attempt is in " + REFUSED_APP_ROLE_LOGIN_INTERVAL.toMinutes() + " minutes, so as "
                    + "not to lock the role id out", null, false, null, true);
        }
        return loggedIn(reply);
    }

    private VaultToken loginKubernetes() {
        Secret jwt = readFile("service-account token file", false);
        VaultClient.AuthReply reply = client.loginKubernetes(auth.mount().orElseThrow(), auth.role(), jwt);
        if (reply.status == 400 || reply.status == 403) {
            throw new VaultTokenException(auth.describe() + " was refused (HTTP " + reply.status + "): check that "
                    + "role '" + auth.role() + "' is bound to the service account of the token in " + auth.file(),
                    null, false);
        }
        return loggedIn(reply);
    }

    private VaultToken loggedIn(VaultClient.AuthReply reply) {
        if (reply.status != 200) {
            throw tokenFailure(auth.describe() + " failed: ", reply);
        }
        Duration ttl = Duration.ofSeconds(reply.leaseSeconds);
        LOG.debug("{}: logged in; token valid for {}, renewable={}", name, ttl, reply.renewable);
        return new VaultToken(reply.token, clock.instant(), ttl, ttl, reply.renewable, false, reply.policies);
    }

    private static VaultTokenException tokenFailure(String doing, VaultClient.Reply reply) {
        return new VaultTokenException(doing + VaultStatus.describe(reply.status) + VaultStatus.retryAfter(reply),
                null, VaultStatus.retryable(reply.status), reply.status == 429 ? reply.retryAfter : null, false);
    }

    private Secret readFile(String what, boolean retryable) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(auth.file());
        } catch (IOException e) {
            throw new VaultTokenException("cannot read the " + what + " " + auth.file() + " (" + e.getClass().getName()
                    + ")", null, retryable);
        }
        try {
            int start = 0;
            int end = bytes.length;
            while (start < end && Character.isWhitespace(bytes[start])) {
                start++;
            }
            while (end > start && Character.isWhitespace(bytes[end - 1])) {
                end--;
            }
            if (start == end) {
                throw new VaultTokenException("the " + what + " " + auth.file() + " is empty", null, retryable);
            }
            byte[] trimmed = Arrays.copyOfRange(bytes, start, end);
            try {
                return Secret.ofBytes(trimmed);
            } finally {
                Arrays.fill(trimmed, (byte) 0);
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean sameSecret(VaultToken token, Secret secret) {
        return token.secret().equals(secret);
    }

    /** The policies of the current token, for a permission-denied message; empty when none is usable. */
    List<String> currentPolicies() {
        return value.peek().map(VaultToken::policies).orElse(List.of());
    }
}
