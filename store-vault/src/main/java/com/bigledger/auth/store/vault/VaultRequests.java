package com.bigledger.auth.store.vault;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.SourceUnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of a {@link VaultCredentialSource} to Vault with its token: a 403 answered by asking Vault whether
 * the token is still alive and, if not, replacing it once and trying again; the {@link VaultQuiet} a rate-limit
 * quota's 429 asks for kept; and a token that cannot be had, or Vault that cannot be reached, mapped to the
 * library's exceptions.
 *
 * <p>Thread-safe: holds no state of its own beyond the thread-safe {@link VaultTokens} and {@link VaultQuiet}.
 * Blocks on I/O.
 */
final class VaultRequests {

    private static final Logger LOG = LoggerFactory.getLogger(VaultCredentialSource.class);

    private final VaultClient client;
    private final VaultTokens tokens;
    private final VaultQuiet quiet;

    VaultRequests(VaultClient client, VaultTokens tokens, Clock clock) {
        this.client = client;
        this.quiet = new VaultQuiet(clock);
        this.tokens = tokens;
    }

    /** Reads a KV secret, needing {@code capability} on it. */
    VaultClient.KvReply read(VaultPath path, String capability) {
        return withToken(path, capability, token -> client.read(path, token.secret()), reply -> reply.status);
    }

    /** Writes a KV secret, with check-and-set on {@code cas} when not {@code null}. */
    VaultClient.WriteReply write(VaultPath path, Map<String, Object> data, Long cas) {
        return withToken(path, "create' or 'update", token -> client.write(path, data, cas, token.secret()),
                r -> r.status);
    }

    /** Asks Vault which mount holds a path ({@code sys/internal/ui/mounts/<path>}). */
    VaultClient.MountReply mountOf(VaultPath parsed) {
        try {
            VaultToken token = token(parsed.ref());
            return quietly(parsed, () -> client.mountOf(parsed.encodedPath(), token.secret()));
        } catch (VaultUnreachableException e) {
            throw new SourceUnavailableException(parsed.ref(), e.getMessage(), e);
        }
    }

    /**
     * Makes a request with the current token. On a 403, asks Vault whether the token itself is still alive: if
     * it is, the policies deny the path and that is the answer; if not (expired or revoked), the token is replaced,
     * once, and the request made again.
     */
    private <R> R withToken(VaultPath path, String capability, Function<VaultToken, R> request,
            ToIntFunction<R> status) {
        try {
            VaultToken token = token(path.ref());
            R reply = quietly(path, () -> request.apply(token));
            if (status.applyAsInt(reply) != 403) {
                return reply;
            }
            VaultClient.LookupReply lookup = client.lookupSelf(token.secret());
            if (lookup.status == 200) {
                throw denied(path, capability, lookup.policies);
            }
            if (lookup.status != 400 && lookup.status != 403) {
                throw denied(path, capability, token.policies());
            }
            if (lookup.status == 403 && !token.policies().isEmpty() && !token.policies().contains("default")
                    && !token.policies().contains("root")) {
                // Only the default policy grants lookup-self (developer.hashicorp.com/vault/api-docs/auth/token): a
                // live token without it is refused too, so the refusal says nothing about the token. Logging in
                // again on every denied read would burn secret-id uses; the token is used until its TTL ends.
                throw new CredentialException(Kind.ACCESS_DENIED, path.ref(), deniedDetail(path, capability,
                        token.policies()) + "; the token lacks the 'default' policy, so Vault also refuses "
                        + "auth/token/lookup-self and whether the token is still alive cannot be asked", null);
            }
            LOG.debug("Vault refused the token while reading {}; getting a new one", path);
            tokens.refused(token);
            VaultToken replacement = token(path.ref());
            reply = quietly(path, () -> request.apply(replacement));
            if (status.applyAsInt(reply) == 403) {
                throw denied(path, capability, replacement.policies());
            }
            return reply;
        } catch (VaultUnreachableException e) {
            throw new SourceUnavailableException(path.ref(), e.getMessage(), e);
        }
    }

    /**
     * Sends a request unless a rate-limit quota asked for quiet, and notes the quiet a 429's {@code Retry-After}
     * asks for (at most {@link VaultTokens#MAX_RETRY_AFTER}).
     */
    private <R> R quietly(VaultPath path, Supplier<R> request) {
        quiet.check(path.ref());
        R reply = request.get();
        if (reply instanceof VaultClient.Reply) {
            VaultClient.Reply answer = (VaultClient.Reply) reply;
            if (answer.status == 429 && answer.retryAfter != null) {
                quiet.askedFor(answer.retryAfter);
            }
        }
        return reply;
    }

    private VaultToken token(CredentialRef ref) {
        try {
            return tokens.get();
        } catch (VaultTokenException e) {
            if (e.retryable()) {
                throw new SourceUnavailableException(ref, "no Vault token: " + e.getMessage(), e);
            }
            throw new CredentialException(Kind.ACCESS_DENIED, ref, "Vault refused this source's credentials: "
                    + e.getMessage(), e);
        }
    }

    private static CredentialException denied(VaultPath path, String capability, List<String> policies) {
        return new CredentialException(Kind.ACCESS_DENIED, path.ref(), deniedDetail(path, capability, policies), null);
    }

    private static String deniedDetail(VaultPath path, String capability, List<String> policies) {
        return "permission denied on " + path.apiPath() + " (HTTP 403): the token's policies " + policies
                + " must grant the '" + capability + "' capability on " + path.apiPath();
    }
}
